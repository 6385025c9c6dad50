"""Text stages: extraction, language identification (normalisation, segmentation, dates later)."""
