"""Metadata quality of the catalogue, computed by SPARQL on the store.

- :mod:`indicators`: data.europa.eu's Metadata Quality Assessment (MQA): its dimensions, indicators, points and
  rating bands;
- :mod:`queries`: the two SPARQL queries that read every dataset's facts at once;
- :mod:`score`: the score of each dataset and of the catalogue, each missing point with the property to add;
- :mod:`dqv`: the scores as W3C Data Quality Vocabulary (DQV) measurements, for the feed;
- :mod:`locate`: where each dataset is described (file and line), for annotations.
"""
