-- The shop (SHOP-1 … SHOP-8). Products are kept here: created by admins, or
-- mirrored from the Stripe catalog (stripe_product_id set). stock is what is
-- left to sell (NULL: unlimited); it never goes below zero. stripe_stock is
-- the stock Stripe's metadata last said: a sync sets stock only when that
-- changes (a restock there), so sales here are not undone. A digital
-- product's file sits in the file store under file_key. An archived product
-- (active false) leaves the shop; orders keep their own copy of what was
-- bought. Its picture is an upload (image_upload_id) or, from Stripe, an
-- address elsewhere; image_url and thumb_url are where it is shown.
CREATE TABLE shop_products (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL CHECK (name <> ''),
    description       TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    kind              TEXT NOT NULL CHECK (kind IN ('digital', 'physical')),
    price_cents       BIGINT NOT NULL CHECK (price_cents > 0),
    stock             BIGINT CHECK (stock >= 0),
    active            BOOLEAN NOT NULL DEFAULT TRUE,
    image_upload_id   BIGINT REFERENCES uploads(id),
    image_url         TEXT NOT NULL DEFAULT '',
    thumb_url         TEXT NOT NULL DEFAULT '',
    file_key          TEXT NOT NULL DEFAULT '',
    file_name         TEXT NOT NULL DEFAULT '',
    file_type         TEXT NOT NULL DEFAULT '',
    file_bytes        BIGINT NOT NULL DEFAULT 0,
    stripe_product_id TEXT UNIQUE,
    stripe_price_id   TEXT NOT NULL DEFAULT '',
    stripe_stock      BIGINT,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX shop_products_active_idx ON shop_products (active, category, name);

-- Coupons (SHOP-4): percent_off or amount_off_cents, never both. A
-- redemption counts when an order takes the coupon and is given back when
-- that order is cancelled unpaid; redemptions never passes max_redemptions.
CREATE TABLE shop_coupons (
    id                       INTEGER PRIMARY KEY,
    code                     TEXT NOT NULL UNIQUE CHECK (code <> ''),
    percent_off              INTEGER NOT NULL DEFAULT 0 CHECK (percent_off BETWEEN 0 AND 100),
    amount_off_cents         BIGINT NOT NULL DEFAULT 0 CHECK (amount_off_cents >= 0),
    min_order_cents          BIGINT NOT NULL DEFAULT 0 CHECK (min_order_cents >= 0),
    max_redemptions          BIGINT CHECK (max_redemptions > 0),
    redemptions              BIGINT NOT NULL DEFAULT 0 CHECK (redemptions >= 0),
    expires_at               BIGINT,
    active                   BOOLEAN NOT NULL DEFAULT TRUE,
    stripe_coupon_id         TEXT NOT NULL DEFAULT '',
    stripe_promotion_code_id TEXT NOT NULL DEFAULT '',
    created_at               BIGINT NOT NULL,
    CHECK ((percent_off > 0) <> (amount_off_cents > 0)),
    CHECK (max_redemptions IS NULL OR redemptions <= max_redemptions)
);

-- Orders (SHOP-5, SHOP-7): pending (a card checkout holding its stock until
-- reserved_until) → paid → shipped → delivered; a digital-only order is
-- delivered once paid. cancelled: a card checkout that expired unpaid;
-- refunded: money returned and stock restored. request_key makes placing
-- an order idempotent per buyer.
CREATE TABLE shop_orders (
    id               INTEGER PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users(id),
    request_key      TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
    pay_with         TEXT NOT NULL CHECK (pay_with IN ('wallet', 'card')),
    subtotal_cents   BIGINT NOT NULL CHECK (subtotal_cents > 0),
    discount_cents   BIGINT NOT NULL DEFAULT 0 CHECK (discount_cents >= 0),
    total_cents      BIGINT NOT NULL CHECK (total_cents >= 0),
    coupon_id        BIGINT REFERENCES shop_coupons(id),
    coupon_code      TEXT NOT NULL DEFAULT '',
    physical         BOOLEAN NOT NULL,
    ship_name        TEXT NOT NULL DEFAULT '',
    ship_line1       TEXT NOT NULL DEFAULT '',
    ship_line2       TEXT NOT NULL DEFAULT '',
    ship_city        TEXT NOT NULL DEFAULT '',
    ship_region      TEXT NOT NULL DEFAULT '',
    ship_postal_code TEXT NOT NULL DEFAULT '',
    ship_country     TEXT NOT NULL DEFAULT '',
    carrier          TEXT NOT NULL DEFAULT '',
    tracking_number  TEXT NOT NULL DEFAULT '',
    topup_id         BIGINT REFERENCES topups(id),
    reserved_until   BIGINT,
    created_at       BIGINT NOT NULL,
    paid_at          BIGINT,
    shipped_at       BIGINT,
    delivered_at     BIGINT,
    closed_at        BIGINT,
    UNIQUE (user_id, request_key),
    CHECK (total_cents = subtotal_cents - discount_cents)
);
CREATE INDEX shop_orders_user_idx ON shop_orders (user_id, id);
CREATE INDEX shop_orders_state_idx ON shop_orders (state, id);
CREATE INDEX shop_orders_topup_idx ON shop_orders (topup_id) WHERE topup_id IS NOT NULL;
CREATE INDEX shop_orders_reserved_idx ON shop_orders (reserved_until) WHERE state = 'pending';

-- shop_order_items: what an order bought, as it was when bought.
CREATE TABLE shop_order_items (
    id         INTEGER PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES shop_orders(id),
    product_id BIGINT NOT NULL REFERENCES shop_products(id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('digital', 'physical')),
    unit_cents BIGINT NOT NULL CHECK (unit_cents > 0),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    UNIQUE (order_id, product_id)
);

-- signing_keys: secrets every instance signs with alike, made once on first
-- use (the shop's download links).
CREATE TABLE signing_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- shop_catalog_syncs: each sync of the catalog from Stripe and what it did.
CREATE TABLE shop_catalog_syncs (
    id          INTEGER PRIMARY KEY,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    archived    INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
