"""The customer-flow model as an absorbing Markov chain: its states, edges and exact solve.

Below the checks and the analysis alike, so that a design check can count exactly what
the analysis reports (how many customers make a switch that loses their context).
"""

from __future__ import annotations
