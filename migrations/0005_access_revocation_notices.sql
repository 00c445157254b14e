-- Access that ends (a token or key revoked, a member removed, a user, account or agent bot deleted,
-- a bot's token replaced) is announced on the parley_revocations channel, so every node closes the
-- real-time sockets admitted with it. A trigger, not the use-cases: every path that ends access (the
-- API, the CLI, cascades, an enclosing transaction) announces it, and NOTIFY is sent at commit only.
CREATE FUNCTION parley_announce_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  notice json;
BEGIN
  IF TG_TABLE_NAME = 'access_tokens' THEN
    notice := json_build_object('kind', 'access_token', 'userId', OLD.user_id, 'tokenId', OLD.id);
  ELSIF TG_TABLE_NAME = 'api_keys' THEN
    notice := json_build_object('kind', 'api_key', 'accountId', OLD.account_id, 'keyId', OLD.id);
  ELSIF TG_TABLE_NAME = 'account_users' THEN
    notice := json_build_object('kind', 'membership', 'accountId', OLD.account_id, 'userId', OLD.user_id);
  ELSIF TG_TABLE_NAME = 'users' THEN
    notice := json_build_object('kind', 'user', 'userId', OLD.id);
  ELSIF TG_TABLE_NAME = 'accounts' THEN
    notice := json_build_object('kind', 'account', 'accountId', OLD.id);
  ELSIF TG_TABLE_NAME = 'agent_bots' THEN
    notice := json_build_object('kind', 'agent_bot', 'botId', OLD.id);
  END IF;
  PERFORM pg_notify('parley_revocations', notice::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER access_tokens_announce_revocation AFTER UPDATE OF revoked_at ON access_tokens FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER access_tokens_announce_deletion AFTER DELETE ON access_tokens FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER api_keys_announce_revocation AFTER UPDATE OF revoked_at ON api_keys FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER api_keys_announce_deletion AFTER DELETE ON api_keys FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL) EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER account_users_announce_removal AFTER DELETE ON account_users FOR EACH ROW
  EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER users_announce_deletion AFTER DELETE ON users FOR EACH ROW
  EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER accounts_announce_deletion AFTER DELETE ON accounts FOR EACH ROW
  EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER agent_bots_announce_deletion AFTER DELETE ON agent_bots FOR EACH ROW
  EXECUTE FUNCTION parley_announce_revocation();
--> statement-breakpoint
CREATE TRIGGER agent_bots_announce_token_change AFTER UPDATE OF token_hash ON agent_bots FOR EACH ROW
  WHEN (OLD.token_hash IS DISTINCT FROM NEW.token_hash) EXECUTE FUNCTION parley_announce_revocation();
