"""Reading press releases without a network or a model: pure rules over the text (dates first)."""
