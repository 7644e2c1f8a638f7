"""The plan's vocabulary: actions, recommendations, months, references, problems and errors.

Imports nothing from the other stages; every other stage may import from here.
"""
