"""The market's pages: the public catalogue and orders, and a seller's shop."""
