"""Harvest partners' DCAT-AP / HealthDCAT-AP catalogues into ``catalogue/harvested/<source>/``."""

from hdh_graph.harvest.fetch import HarvestError, HarvestLimits
from hdh_graph.harvest.run import HarvestReport, harvest, source_name

__all__ = ["HarvestError", "HarvestLimits", "HarvestReport", "harvest", "source_name"]
