-- Provenance summaries now judge, range and chart the cold chain on the same custody spans and
-- list processing rooms apart: every stored summary is recomputed by its next reader.
UPDATE batch_summaries SET stale = true, summary = NULL, changes = changes + 1;
