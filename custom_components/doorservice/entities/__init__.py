"""Entity classes, one module per concern; the platform modules only set them up."""
