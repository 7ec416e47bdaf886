-- Report summaries: what the owner's reports sum, kept up to date by triggers in the same transaction as every
-- write to purchases and purchase_lines (counter, imports, sync, returns, merges), so they stay exact whoever
-- writes. Times are the purchases' own UTC text, compared as text exactly as the raw queries compare them.
--
-- Sums per UTC day (the reports add the partial days at a range's ends from the raw rows). A missing store is 0.
CREATE TABLE report_sales_days (
    day TEXT NOT NULL,                 -- substr(occurred_at, 1, 10)
    store_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    lines INTEGER NOT NULL,
    units INTEGER NOT NULL,            -- qty - returned_qty
    revenue_cents INTEGER NOT NULL,    -- per line: net_cents * (qty - returned_qty) / qty, in whole cents
    PRIMARY KEY (day, store_id, product_id)
) WITHOUT ROWID;

CREATE TABLE report_purchase_days (
    day TEXT NOT NULL,
    store_id INTEGER NOT NULL,
    purchases INTEGER NOT NULL,
    member_purchases INTEGER NOT NULL,
    subtotal_cents INTEGER NOT NULL,
    member_subtotal_cents INTEGER NOT NULL,
    PRIMARY KEY (day, store_id)
) WITHOUT ROWID;

-- Distinct customers over any range: one row per (scope, product, customer, purchase time) with the time that
-- customer last bought the product before (prev_at); the customers of [lo, hi) are the rows in it whose prev_at
-- is NULL or before lo. Scope 0 is all stores, otherwise a store id. n: lines behind the row.
CREATE TABLE report_buyers (
    scope INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    prev_at TEXT,
    n INTEGER NOT NULL,
    PRIMARY KEY (scope, product_id, customer_id, at)
) WITHOUT ROWID;

-- The same chain over a customer's visits (purchases), with the next visit too: a customer's first visit in a
-- range is the row with prev_at before it, and they came again in the range when n > 1 or next_at is in it.
CREATE TABLE report_visits (
    scope INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    prev_at TEXT,
    next_at TEXT,
    n INTEGER NOT NULL,
    PRIMARY KEY (scope, customer_id, at)
) WITHOUT ROWID;

-- Per customer and scope over all history: visits, first and last visit, goods value bought.
CREATE TABLE report_customer_stats (
    scope INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    visits INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    spent_cents INTEGER NOT NULL,
    PRIMARY KEY (scope, customer_id)
) WITHOUT ROWID;

-- The backfill of existing history, then the indexes the reports read (built once, sorted).
INSERT INTO report_sales_days (day, store_id, product_id, lines, units, revenue_cents)
SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), l.product_id, count(*), sum(l.qty - l.returned_qty),
       sum(l.net_cents * (l.qty - l.returned_qty) / l.qty)
FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id
GROUP BY substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), l.product_id;

INSERT INTO report_purchase_days (day, store_id, purchases, member_purchases, subtotal_cents, member_subtotal_cents)
SELECT substr(occurred_at, 1, 10), coalesce(store_id, 0), count(*), count(customer_id), sum(subtotal_cents),
       coalesce(sum(CASE WHEN customer_id IS NOT NULL THEN subtotal_cents END), 0)
FROM purchases GROUP BY substr(occurred_at, 1, 10), coalesce(store_id, 0);

-- One statement per scope: each sorts half as many rows.
INSERT INTO report_buyers (scope, product_id, customer_id, at, prev_at, n)
SELECT 0, product_id, customer_id, at, lag(at) OVER (PARTITION BY product_id, customer_id ORDER BY at), n
FROM (SELECT l.product_id, p.customer_id, p.occurred_at AS at, count(*) AS n
      FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id WHERE p.customer_id IS NOT NULL
      GROUP BY l.product_id, p.customer_id, p.occurred_at);
INSERT INTO report_buyers (scope, product_id, customer_id, at, prev_at, n)
SELECT store_id, product_id, customer_id, at,
       lag(at) OVER (PARTITION BY store_id, product_id, customer_id ORDER BY at), n
FROM (SELECT p.store_id, l.product_id, p.customer_id, p.occurred_at AS at, count(*) AS n
      FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id
      WHERE p.customer_id IS NOT NULL AND p.store_id IS NOT NULL
      GROUP BY p.store_id, l.product_id, p.customer_id, p.occurred_at);

INSERT INTO report_visits (scope, customer_id, at, prev_at, next_at, n)
SELECT 0, customer_id, at, lag(at) OVER w, lead(at) OVER w, n
FROM (SELECT customer_id, occurred_at AS at, count(*) AS n FROM purchases
      WHERE customer_id IS NOT NULL GROUP BY customer_id, occurred_at)
WINDOW w AS (PARTITION BY customer_id ORDER BY at);
INSERT INTO report_visits (scope, customer_id, at, prev_at, next_at, n)
SELECT store_id, customer_id, at, lag(at) OVER w, lead(at) OVER w, n
FROM (SELECT store_id, customer_id, occurred_at AS at, count(*) AS n FROM purchases
      WHERE customer_id IS NOT NULL AND store_id IS NOT NULL GROUP BY store_id, customer_id, occurred_at)
WINDOW w AS (PARTITION BY store_id, customer_id ORDER BY at);

INSERT INTO report_customer_stats (scope, customer_id, visits, first_at, last_at, spent_cents)
SELECT 0, customer_id, count(*), min(occurred_at), max(occurred_at), sum(subtotal_cents) FROM purchases
WHERE customer_id IS NOT NULL GROUP BY customer_id
UNION ALL
SELECT store_id, customer_id, count(*), min(occurred_at), max(occurred_at), sum(subtotal_cents) FROM purchases
WHERE customer_id IS NOT NULL AND store_id IS NOT NULL GROUP BY store_id, customer_id;

-- The buyers of a product in a range, and the first visits in a range, each read from one index.
CREATE INDEX report_buyers_range ON report_buyers(scope, product_id, at, prev_at);
CREATE INDEX report_visits_range ON report_visits(scope, at, prev_at, next_at, n, customer_id);

-- Operations on the summaries, as views whose INSTEAD OF triggers apply one signed change each: the triggers on
-- the sales tables below insert into these.
-- Each adds or takes away one line (lines 1 or -1) or one purchase (purchases 1 or -1); a row that reaches zero goes.
CREATE VIEW report_sales_ops (day, store_id, product_id, lines, units, revenue_cents) AS
SELECT '', 0, 0, 0, 0, 0 WHERE 0;
CREATE TRIGGER report_sales_ops_add INSTEAD OF INSERT ON report_sales_ops WHEN new.lines > 0 BEGIN
    INSERT INTO report_sales_days (day, store_id, product_id, lines, units, revenue_cents)
    VALUES (new.day, new.store_id, new.product_id, new.lines, new.units, new.revenue_cents)
    ON CONFLICT (day, store_id, product_id) DO UPDATE SET lines = lines + excluded.lines,
        units = units + excluded.units, revenue_cents = revenue_cents + excluded.revenue_cents;
END;
CREATE TRIGGER report_sales_ops_remove INSTEAD OF INSERT ON report_sales_ops WHEN new.lines <= 0 BEGIN
    UPDATE report_sales_days SET lines = lines + new.lines, units = units + new.units,
        revenue_cents = revenue_cents + new.revenue_cents
    WHERE day = new.day AND store_id = new.store_id AND product_id = new.product_id;
    DELETE FROM report_sales_days
    WHERE day = new.day AND store_id = new.store_id AND product_id = new.product_id AND lines = 0;
END;

CREATE VIEW report_purchase_ops (day, store_id, purchases, member_purchases, subtotal_cents, member_subtotal_cents)
AS SELECT '', 0, 0, 0, 0, 0 WHERE 0;
CREATE TRIGGER report_purchase_ops_add INSTEAD OF INSERT ON report_purchase_ops WHEN new.purchases > 0 BEGIN
    INSERT INTO report_purchase_days (day, store_id, purchases, member_purchases, subtotal_cents, member_subtotal_cents)
    VALUES (new.day, new.store_id, new.purchases, new.member_purchases, new.subtotal_cents, new.member_subtotal_cents)
    ON CONFLICT (day, store_id) DO UPDATE SET purchases = purchases + excluded.purchases,
        member_purchases = member_purchases + excluded.member_purchases,
        subtotal_cents = subtotal_cents + excluded.subtotal_cents,
        member_subtotal_cents = member_subtotal_cents + excluded.member_subtotal_cents;
END;
CREATE TRIGGER report_purchase_ops_remove INSTEAD OF INSERT ON report_purchase_ops WHEN new.purchases <= 0 BEGIN
    UPDATE report_purchase_days SET purchases = purchases + new.purchases,
        member_purchases = member_purchases + new.member_purchases,
        subtotal_cents = subtotal_cents + new.subtotal_cents,
        member_subtotal_cents = member_subtotal_cents + new.member_subtotal_cents
    WHERE day = new.day AND store_id = new.store_id;
    DELETE FROM report_purchase_days WHERE day = new.day AND store_id = new.store_id AND purchases = 0;
END;

-- delta: 1 adds a line of the product bought by the customer at that time, -1 removes one.
CREATE VIEW report_buyer_ops (scope, product_id, customer_id, at, delta) AS SELECT 0, 0, 0, '', 0 WHERE 0;
CREATE TRIGGER report_buyer_ops_add INSTEAD OF INSERT ON report_buyer_ops WHEN new.delta > 0 BEGIN
    UPDATE report_buyers SET prev_at = new.at
    WHERE scope = new.scope AND product_id = new.product_id AND customer_id = new.customer_id
      AND at = (SELECT min(b.at) FROM report_buyers b WHERE b.scope = new.scope AND b.product_id = new.product_id
                AND b.customer_id = new.customer_id AND b.at > new.at);
    INSERT INTO report_buyers (scope, product_id, customer_id, at, prev_at, n)
    VALUES (new.scope, new.product_id, new.customer_id, new.at,
            (SELECT max(b.at) FROM report_buyers b WHERE b.scope = new.scope AND b.product_id = new.product_id
             AND b.customer_id = new.customer_id AND b.at < new.at), 1)
    ON CONFLICT (scope, product_id, customer_id, at) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER report_buyer_ops_remove INSTEAD OF INSERT ON report_buyer_ops WHEN new.delta < 0 BEGIN
    UPDATE report_buyers SET n = n - 1
    WHERE scope = new.scope AND product_id = new.product_id AND customer_id = new.customer_id AND at = new.at;
    UPDATE report_buyers SET prev_at = (SELECT b.prev_at FROM report_buyers b WHERE b.scope = new.scope
                                        AND b.product_id = new.product_id AND b.customer_id = new.customer_id
                                        AND b.at = new.at)
    WHERE scope = new.scope AND product_id = new.product_id AND customer_id = new.customer_id
      AND at = (SELECT min(b.at) FROM report_buyers b WHERE b.scope = new.scope AND b.product_id = new.product_id
                AND b.customer_id = new.customer_id AND b.at > new.at)
      AND EXISTS (SELECT 1 FROM report_buyers b WHERE b.scope = new.scope AND b.product_id = new.product_id
                  AND b.customer_id = new.customer_id AND b.at = new.at AND b.n = 0);
    DELETE FROM report_buyers
    WHERE scope = new.scope AND product_id = new.product_id AND customer_id = new.customer_id AND at = new.at
      AND n = 0;
END;

-- delta: 1 adds a visit (a purchase) at that time with its subtotal, -1 removes one.
CREATE VIEW report_visit_ops (scope, customer_id, at, subtotal_cents, delta) AS SELECT 0, 0, '', 0, 0 WHERE 0;
CREATE TRIGGER report_visit_ops_add INSTEAD OF INSERT ON report_visit_ops WHEN new.delta > 0 BEGIN
    UPDATE report_visits SET prev_at = new.at
    WHERE scope = new.scope AND customer_id = new.customer_id
      AND at = (SELECT min(v.at) FROM report_visits v WHERE v.scope = new.scope AND v.customer_id = new.customer_id
                AND v.at > new.at);
    UPDATE report_visits SET next_at = new.at
    WHERE scope = new.scope AND customer_id = new.customer_id
      AND at = (SELECT max(v.at) FROM report_visits v WHERE v.scope = new.scope AND v.customer_id = new.customer_id
                AND v.at < new.at);
    INSERT INTO report_visits (scope, customer_id, at, prev_at, next_at, n)
    VALUES (new.scope, new.customer_id, new.at,
            (SELECT max(v.at) FROM report_visits v WHERE v.scope = new.scope AND v.customer_id = new.customer_id
             AND v.at < new.at),
            (SELECT min(v.at) FROM report_visits v WHERE v.scope = new.scope AND v.customer_id = new.customer_id
             AND v.at > new.at), 1)
    ON CONFLICT (scope, customer_id, at) DO UPDATE SET n = n + 1;
    INSERT INTO report_customer_stats (scope, customer_id, visits, first_at, last_at, spent_cents)
    VALUES (new.scope, new.customer_id, 1, new.at, new.at, new.subtotal_cents)
    ON CONFLICT (scope, customer_id) DO UPDATE SET visits = visits + 1, first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at), spent_cents = spent_cents + excluded.spent_cents;
END;
CREATE TRIGGER report_visit_ops_remove INSTEAD OF INSERT ON report_visit_ops WHEN new.delta < 0 BEGIN
    UPDATE report_visits SET n = n - 1 WHERE scope = new.scope AND customer_id = new.customer_id AND at = new.at;
    UPDATE report_visits SET next_at = (SELECT v.next_at FROM report_visits v WHERE v.scope = new.scope
                                        AND v.customer_id = new.customer_id AND v.at = new.at)
    WHERE scope = new.scope AND customer_id = new.customer_id
      AND at = (SELECT v.prev_at FROM report_visits v WHERE v.scope = new.scope AND v.customer_id = new.customer_id
                AND v.at = new.at AND v.n = 0);
    UPDATE report_visits SET prev_at = (SELECT v.prev_at FROM report_visits v WHERE v.scope = new.scope
                                        AND v.customer_id = new.customer_id AND v.at = new.at)
    WHERE scope = new.scope AND customer_id = new.customer_id
      AND at = (SELECT v.next_at FROM report_visits v WHERE v.scope = new.scope AND v.customer_id = new.customer_id
                AND v.at = new.at AND v.n = 0);
    DELETE FROM report_visits WHERE scope = new.scope AND customer_id = new.customer_id AND at = new.at AND n = 0;
    UPDATE report_customer_stats SET visits = visits - 1, spent_cents = spent_cents - new.subtotal_cents,
        first_at = coalesce((SELECT min(v.at) FROM report_visits v WHERE v.scope = new.scope
                             AND v.customer_id = new.customer_id), first_at),
        last_at = coalesce((SELECT max(v.at) FROM report_visits v WHERE v.scope = new.scope
                            AND v.customer_id = new.customer_id), last_at)
    WHERE scope = new.scope AND customer_id = new.customer_id;
    DELETE FROM report_customer_stats WHERE scope = new.scope AND customer_id = new.customer_id AND visits = 0;
END;

-- The sales tables feed the operations. A line needs its purchase: lines are written after their purchase and
-- removed before it.
CREATE TRIGGER report_purchases_ai AFTER INSERT ON purchases BEGIN
    INSERT INTO report_purchase_ops
    VALUES (substr(new.occurred_at, 1, 10), coalesce(new.store_id, 0), 1, new.customer_id IS NOT NULL,
            new.subtotal_cents, CASE WHEN new.customer_id IS NOT NULL THEN new.subtotal_cents ELSE 0 END);
    INSERT INTO report_visit_ops SELECT 0, new.customer_id, new.occurred_at, new.subtotal_cents, 1
    WHERE new.customer_id IS NOT NULL;
    INSERT INTO report_visit_ops SELECT new.store_id, new.customer_id, new.occurred_at, new.subtotal_cents, 1
    WHERE new.customer_id IS NOT NULL AND new.store_id IS NOT NULL;
END;

CREATE TRIGGER report_purchases_ad AFTER DELETE ON purchases BEGIN
    INSERT INTO report_purchase_ops
    VALUES (substr(old.occurred_at, 1, 10), coalesce(old.store_id, 0), -1, -(old.customer_id IS NOT NULL),
            -old.subtotal_cents, CASE WHEN old.customer_id IS NOT NULL THEN -old.subtotal_cents ELSE 0 END);
    INSERT INTO report_visit_ops SELECT 0, old.customer_id, old.occurred_at, old.subtotal_cents, -1
    WHERE old.customer_id IS NOT NULL;
    INSERT INTO report_visit_ops SELECT old.store_id, old.customer_id, old.occurred_at, old.subtotal_cents, -1
    WHERE old.customer_id IS NOT NULL AND old.store_id IS NOT NULL;
END;

-- A purchase re-pointed at another customer (a merge), store or time: take out what it was, add what it is.
CREATE TRIGGER report_purchases_au AFTER UPDATE OF customer_id, store_id, occurred_at, subtotal_cents ON purchases
WHEN old.customer_id IS NOT new.customer_id OR old.store_id IS NOT new.store_id
  OR old.occurred_at IS NOT new.occurred_at OR old.subtotal_cents IS NOT new.subtotal_cents BEGIN
    INSERT INTO report_purchase_ops
    VALUES (substr(old.occurred_at, 1, 10), coalesce(old.store_id, 0), -1, -(old.customer_id IS NOT NULL),
            -old.subtotal_cents, CASE WHEN old.customer_id IS NOT NULL THEN -old.subtotal_cents ELSE 0 END);
    INSERT INTO report_purchase_ops
    VALUES (substr(new.occurred_at, 1, 10), coalesce(new.store_id, 0), 1, new.customer_id IS NOT NULL,
            new.subtotal_cents, CASE WHEN new.customer_id IS NOT NULL THEN new.subtotal_cents ELSE 0 END);
    INSERT INTO report_visit_ops SELECT 0, old.customer_id, old.occurred_at, old.subtotal_cents, -1
    WHERE old.customer_id IS NOT NULL;
    INSERT INTO report_visit_ops SELECT old.store_id, old.customer_id, old.occurred_at, old.subtotal_cents, -1
    WHERE old.customer_id IS NOT NULL AND old.store_id IS NOT NULL;
    INSERT INTO report_visit_ops SELECT 0, new.customer_id, new.occurred_at, new.subtotal_cents, 1
    WHERE new.customer_id IS NOT NULL;
    INSERT INTO report_visit_ops SELECT new.store_id, new.customer_id, new.occurred_at, new.subtotal_cents, 1
    WHERE new.customer_id IS NOT NULL AND new.store_id IS NOT NULL;
    INSERT INTO report_sales_ops
    SELECT substr(old.occurred_at, 1, 10), coalesce(old.store_id, 0), l.product_id, -1, -(l.qty - l.returned_qty),
           -(l.net_cents * (l.qty - l.returned_qty) / l.qty)
    FROM purchase_lines l WHERE l.purchase_id = new.id
      AND (old.store_id IS NOT new.store_id OR substr(old.occurred_at, 1, 10) IS NOT substr(new.occurred_at, 1, 10));
    INSERT INTO report_sales_ops
    SELECT substr(new.occurred_at, 1, 10), coalesce(new.store_id, 0), l.product_id, 1, l.qty - l.returned_qty,
           l.net_cents * (l.qty - l.returned_qty) / l.qty
    FROM purchase_lines l WHERE l.purchase_id = new.id
      AND (old.store_id IS NOT new.store_id OR substr(old.occurred_at, 1, 10) IS NOT substr(new.occurred_at, 1, 10));
    INSERT INTO report_buyer_ops SELECT 0, l.product_id, old.customer_id, old.occurred_at, -1
    FROM purchase_lines l WHERE l.purchase_id = new.id AND old.customer_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT old.store_id, l.product_id, old.customer_id, old.occurred_at, -1
    FROM purchase_lines l WHERE l.purchase_id = new.id AND old.customer_id IS NOT NULL AND old.store_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT 0, l.product_id, new.customer_id, new.occurred_at, 1
    FROM purchase_lines l WHERE l.purchase_id = new.id AND new.customer_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT new.store_id, l.product_id, new.customer_id, new.occurred_at, 1
    FROM purchase_lines l WHERE l.purchase_id = new.id AND new.customer_id IS NOT NULL AND new.store_id IS NOT NULL;
END;

CREATE TRIGGER report_purchase_lines_ai AFTER INSERT ON purchase_lines BEGIN
    INSERT INTO report_sales_ops
    SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), new.product_id, 1, new.qty - new.returned_qty,
           new.net_cents * (new.qty - new.returned_qty) / new.qty
    FROM purchases p WHERE p.id = new.purchase_id;
    INSERT INTO report_buyer_ops SELECT 0, new.product_id, p.customer_id, p.occurred_at, 1
    FROM purchases p WHERE p.id = new.purchase_id AND p.customer_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT p.store_id, new.product_id, p.customer_id, p.occurred_at, 1
    FROM purchases p WHERE p.id = new.purchase_id AND p.customer_id IS NOT NULL AND p.store_id IS NOT NULL;
END;

CREATE TRIGGER report_purchase_lines_ad AFTER DELETE ON purchase_lines BEGIN
    INSERT INTO report_sales_ops
    SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), old.product_id, -1, -(old.qty - old.returned_qty),
           -(old.net_cents * (old.qty - old.returned_qty) / old.qty)
    FROM purchases p WHERE p.id = old.purchase_id;
    INSERT INTO report_buyer_ops SELECT 0, old.product_id, p.customer_id, p.occurred_at, -1
    FROM purchases p WHERE p.id = old.purchase_id AND p.customer_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT p.store_id, old.product_id, p.customer_id, p.occurred_at, -1
    FROM purchases p WHERE p.id = old.purchase_id AND p.customer_id IS NOT NULL AND p.store_id IS NOT NULL;
END;

-- A return changes returned_qty: the units and revenue move, the buyers stay.
CREATE TRIGGER report_purchase_lines_au_sales
AFTER UPDATE OF purchase_id, product_id, qty, returned_qty, net_cents ON purchase_lines BEGIN
    INSERT INTO report_sales_ops
    SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), old.product_id, -1, -(old.qty - old.returned_qty),
           -(old.net_cents * (old.qty - old.returned_qty) / old.qty)
    FROM purchases p WHERE p.id = old.purchase_id;
    INSERT INTO report_sales_ops
    SELECT substr(p.occurred_at, 1, 10), coalesce(p.store_id, 0), new.product_id, 1, new.qty - new.returned_qty,
           new.net_cents * (new.qty - new.returned_qty) / new.qty
    FROM purchases p WHERE p.id = new.purchase_id;
END;

CREATE TRIGGER report_purchase_lines_au_buyers AFTER UPDATE OF purchase_id, product_id ON purchase_lines
WHEN old.purchase_id IS NOT new.purchase_id OR old.product_id IS NOT new.product_id BEGIN
    INSERT INTO report_buyer_ops SELECT 0, old.product_id, p.customer_id, p.occurred_at, -1
    FROM purchases p WHERE p.id = old.purchase_id AND p.customer_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT p.store_id, old.product_id, p.customer_id, p.occurred_at, -1
    FROM purchases p WHERE p.id = old.purchase_id AND p.customer_id IS NOT NULL AND p.store_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT 0, new.product_id, p.customer_id, p.occurred_at, 1
    FROM purchases p WHERE p.id = new.purchase_id AND p.customer_id IS NOT NULL;
    INSERT INTO report_buyer_ops SELECT p.store_id, new.product_id, p.customer_id, p.occurred_at, 1
    FROM purchases p WHERE p.id = new.purchase_id AND p.customer_id IS NOT NULL AND p.store_id IS NOT NULL;
END;
