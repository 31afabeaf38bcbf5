-- Version 2 created the vault's table. The vault (crate traject-kluis) creates that table itself
-- now, in the same form; this step does nothing in a new store and stays for the numbering.
SELECT 1;
