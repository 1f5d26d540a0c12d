-- A department has at most one current seal key. Before this index two
-- requests issuing a department's first certificates at the same moment
-- could each make a key. The older ones are retired here (their private
-- halves erased) so that the index can be built.
UPDATE seal_keys SET is_current = 0, seed = NULL
WHERE is_current = 1 AND EXISTS (
    SELECT 1 FROM seal_keys newer
    WHERE newer.department = seal_keys.department AND newer.is_current = 1
      AND (newer.created_ms > seal_keys.created_ms
           OR (newer.created_ms = seal_keys.created_ms AND newer.kid > seal_keys.kid)));
CREATE UNIQUE INDEX seal_keys_one_current ON seal_keys (department) WHERE is_current = 1;
