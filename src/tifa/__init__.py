"""tifa (提法): measure how central official formulations spread into local market-regulation documents.

Pipeline stages, one module each: load -> normalise -> structure -> extract
(priorities, achievements) -> frames -> reuse -> stats -> plots -> report.
"""

__version__ = "0.1.0"
