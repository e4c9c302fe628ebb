"""How commands reach hardware: one small interface, interchangeable implementations."""
