"""Which guesses decide the answer: sensitivity of every figure, and uncertainty from ranges."""
