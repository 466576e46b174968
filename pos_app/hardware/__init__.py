"""The counter's devices: ESC/POS receipt printer, cash drawer, pole display. No Qt here."""
