"""Pure-numpy update rules over the household arrays (vectorized hot paths)."""
