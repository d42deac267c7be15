-- 0015: the store keeps public signing keys only (docs/keys.md). The secret key moves to a key
-- file or a PKCS#11 token; `egov serve`/`egov migrate` write an existing secret to the
-- configured key file before this migration drops it (keys_export_legacy).
--
-- Public keys become base64 DER SubjectPublicKeyInfo, whatever the algorithm. An Ed25519 SPKI is
-- a fixed 12-byte prefix followed by the key; 12 bytes are exactly 16 base64 characters, so the
-- prefix's base64 ('MCowBQYDK2VwAyEA') is put in front of the stored base64 key.
ALTER TABLE signing_keys ADD COLUMN algorithm TEXT NOT NULL DEFAULT 'ed25519'
    CHECK (algorithm IN ('ed25519', 'sm2'));
-- When the key stopped signing new editions (egov keys rotate); it still verifies old ones.
ALTER TABLE signing_keys ADD COLUMN retired_at BIGINT;
UPDATE signing_keys SET public_key = 'MCowBQYDK2VwAyEA' || public_key;
ALTER TABLE signing_keys DROP COLUMN secret_key;
CREATE UNIQUE INDEX signing_keys_public_key ON signing_keys (public_key);
