"""Sub-commands of the ``coprod`` CLI, one module per family."""
