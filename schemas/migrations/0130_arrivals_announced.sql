-- A commit that stores readings wakes the watcher: it starts a round as soon as the last one
-- is far enough behind (FARMTRACE_WATCH_MIN_GAP_S) instead of at its next interval, so
-- alarms and page summaries follow new readings within about a second. One notification per
-- statement, and PostgreSQL folds identical ones of a transaction into one; the watcher
-- still runs a round every interval, so a notification it missed costs time, never work.
CREATE FUNCTION announce_arrivals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('farmtrace_arrivals', '');
    RETURN NULL;
END $$;

CREATE TRIGGER reading_arrivals_announced AFTER INSERT ON reading_arrivals
    FOR EACH STATEMENT EXECUTE FUNCTION announce_arrivals();
