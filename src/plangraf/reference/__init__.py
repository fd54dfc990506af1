"""The reference data: law texts and the statutory bases, converted from ``shared/reference``."""
