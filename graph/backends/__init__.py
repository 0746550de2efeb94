"""Graph database backends: what differs between FalkorDB and Neo4j lives here."""
