"""Core of coprod: templates, cases and the store.

Nothing in this package may import Textual (a test enforces it), so the data
layer can be tested, scripted and reasoned about without a terminal.
"""
