"""Causal analysis on the projected ``networkx.MultiDiGraph`` (never on RDF: no rdflib here)."""
