"""juesuan: build, check and audit departmental final-accounts disclosures (部门决算公开)."""

__version__ = "0.1.0"
