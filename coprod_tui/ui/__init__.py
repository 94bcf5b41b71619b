"""The Textual workbench. Only this package imports Textual."""
