"""jixiao (绩效): Chinese budget-performance disclosures → verified, structured data."""

__version__ = "0.1.0"
