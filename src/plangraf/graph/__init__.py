"""Stage 2, the graph: a build's inputs and identity, OWL RL inference, reflections, the build folder."""
