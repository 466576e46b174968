"""The counter's devices in the GUI: print queue state, customer display, no sale, labels."""
