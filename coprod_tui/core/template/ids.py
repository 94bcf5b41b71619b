"""The ids of the shipped templates, in a module of their own.

The CLI names the default in its help without loading any template (and so
without importing YAML): ``coprod --version`` and ``coprod --help`` stay quick.
"""

DEFAULT_TEMPLATE_ID = "batalden-primary-care"
SWEDISH_TEMPLATE_ID = "batalden-primary-care-sv"
