"""Modal dialogs: one file per dialog, all built on :class:`~.base.ModalDialog`."""
