"""Events, threats and timelines: who did what to whom, when and where, with evidence."""
