"""Site registry pages, split by concern: registry (lists, forms, status), excel (rosters,
import), maps, coverage."""
