"""Pure domain rules: functions of plain values and time, no I/O."""
