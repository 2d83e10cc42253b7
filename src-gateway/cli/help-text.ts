export const MAIN_HELP = `airlock — a local gateway for AI agents: record, mask, block and approve MCP traffic.

Usage: airlock <command> [options]

Commands:
  gateway                      Run the gateway (what \`npm start\` does)
  connect [<server>]           Bridge stdin/stdout to a running gateway (every server without a name)
  connect-client <client>      Point Claude Desktop, Claude Code, Cursor, VS Code or Windsurf at Airlock
  connect-client list          Installed agent clients, and whether each goes through Airlock
  token create <client>        Create a bearer token for an agent client (printed alone on stdout)
  token list                   List clients and their tokens' state
  token revoke <client>        Revoke every token of a client
  secret set <name>            Store a secret for \`keychain:<name>\` references (value asked for, or from stdin)
  secret list                  Names of the stored secrets (never their values)
  secret delete <name>         Delete a stored secret
  sessions list                Recorded sessions, newest first
  sessions show <id>           The messages of one session
  sessions export <id>         Export a session (--format jsonl)
  audit verify                 Check the hash chains of messages and sessions for edits, deletions and reordering
  config check                 Validate a config file and print the servers it defines
  policy check <server> <tool> What the policy decides for a call, and the rule that decides it
  policy validate              Validate a policy file (JSON or YAML)
  pins held|approve|reject     Tool definitions held because they changed or shadow another server's
  approvals list|allow|deny    Calls waiting for a person's approval, and answering them
  protection pause|resume     Stop asking for approvals for N minutes (--minutes, default 15), or ask again
  mask preview                 What masking would do to a text, a JSON file or a recorded message
  ui [--open]                  The link to the Airlock window in your browser (history, approvals, policies…)
  login [--browser]            Sign the running gateway in to your org (device code, or the system browser)
  logout                       Sign out of the org: the tokens are revoked and forgotten
  org status|sync              Org mode: who is signed in, the org policy bundle, the audit outbox
  hub                          Run the reference org hub (policy bundle, audit log intake) over HTTPS
  demo-server                  The built-in demo back-office MCP server (stdio)

Options for every command:
  --config FILE     Config file (JSON or YAML). Default: the user config, else the embedded demo config
  --data-dir DIR    Where the database and tokens live. Default: $AIRLOCK_DATA_DIR or the platform's data dir
  -h, --help        Help for a command

Run \`airlock <command> --help\` for a command's own options.`;

export const COMMAND_HELP: Record<string, string> = {
  audit: `Usage: airlock audit verify [--session ID] [--anchor SEQ:HASH] [--json] [--data-dir DIR]

Recomputes the hash chain of every recorded session (or of one, by id or unique prefix): each
message's hash covers its content, its masking events and the hash of the message before it, and
each session keeps the hash of its newest message. It also checks the session ledger, which links
every session to the one started before it, so whole sessions deleted or reordered are found too.
Any edited, deleted or reordered row is reported; exit code 1 then, 0 when intact. Messages
recorded before the chain existed (databases from before it) are counted as unchained.
On success it prints the ledger head as SEQ:HASH. Keep it where whoever can write the database
cannot; --anchor SEQ:HASH later also checks the ledger still holds that link, which catches a
rewrite of every session up to it even with all hashes recomputed.`,
  hub: `Usage: airlock hub --cert FILE --key FILE --issuer URL --audience A --policy-dir DIR
       [--ca-file FILE] [--host H] [--port N] [--data-dir DIR] [--policy-max-age S]

The org's reference hub over HTTPS (port 8443 and 127.0.0.1 unless told otherwise). Every route but
/healthz needs an access token signed by --issuer for --audience:
  GET  /policy/bundle       the bundle in --policy-dir (bundle.json or bundle.yaml, read per request),
                            with an ETag and Cache-Control: max-age (--policy-max-age, default 300)
  POST /v1/logs             OTLP/HTTP JSON logs (gzip), deduplicated by Idempotency-Key and record id
  GET  /sessions(.json)     a read-only view of the sessions the audit log holds
--ca-file adds CA certificates to trust for the issuer. The audit log is kept in --data-dir
(default: the platform's data dir, under hub/).`,
  gateway: `Usage: airlock gateway [--config FILE] [--policy FILE] [--port N] [--host H] [--data-dir DIR]

Starts the gateway on 127.0.0.1 (port 7400 unless the config or --port says otherwise; 0 picks a
free port). Agents connect to http://127.0.0.1:<port>/servers/<name>/mcp with a bearer token.
Creates the "local" client's token on first run and prints ready-to-paste agent configs.
--policy (or "policy" in the config) names the policy file; without it the embedded default applies.
The policy reloads when its file changes. In a terminal, calls that need approval are asked here.`,
  mask: `Usage: airlock mask preview (--text TEXT | --file FILE | --message ID)
       [--server S] [--tool T] [--client C] [--group G] [--policy FILE] [--json]

Prints the masked output and a table of findings (detector, JSON pointer and offsets, replacement)
under the policy's masking rules for that server and tool. A .json file is walked as JSON; text
that is JSON is walked too. --message takes a recorded message id.`,
  ui: `Usage: airlock ui [--open] [--data-dir DIR]

Prints the link to the running gateway's window: activity, approvals, history and replay,
policies, masking preview and connections. The link carries the gateway's control token (new at
every start) in its #fragment, which the browser keeps to itself. --open opens it in your browser.`,
  approvals: `Usage: airlock approvals list [--json]
       airlock approvals allow <id> [--session | --always]
       airlock approvals deny <id> [--reason TEXT]

Answers calls held by "approve" rules in the running gateway. <id> may be a unique prefix.
allow lets this one call through; --session every call of the tool in that session; --always
writes a local rule allowing exactly this call from now on. --reason is shown to the agent.`,
  protection: `Usage: airlock protection status | pause [--minutes N] | resume [--json] [--data-dir DIR]

Pausing protection in the running gateway stops asking: calls an "approve" rule would hold go
through at once, recorded as allowed by the rule "paused", until N minutes (default 15, at most
1440) have passed or you resume. Deny rules, masking and recording keep working meanwhile.`,
  login: `Usage: airlock login [--browser [--no-open]] [--data-dir DIR]

Signs the running gateway in to the org named in the config's \`org\` section (OpenID Connect).
Without --browser it prints a link and a code to enter on any device (works over SSH); with
--browser it opens the system browser, which returns to the gateway on 127.0.0.1. Waits until the
sign-in completes. The tokens are kept in the keychain and refreshed silently; sessions started
from then on run as you, with your groups (what \`group\` in policy rules matches).`,
  logout: `Usage: airlock logout [--data-dir DIR]

Signs the running gateway out of the org: its tokens are revoked at the issuer and forgotten.
Sessions already running keep the identity they started with.`,
  org: `Usage: airlock org status [--json] | sync [--json] [--data-dir DIR]

status: whether org mode is on, who is signed in (and their groups), the org policy bundle in
force and the audit records still to ship. sync: fetch the policy bundle and ship the audit
records now.`,
  connect: `Usage: airlock connect [<server>] [--url URL] [--token TOKEN] [--data-dir DIR]

Speaks MCP over stdin/stdout and relays it to a running gateway, for agents that can only launch a
command: to /servers/<server>/mcp, or without a server to /mcp, where every connected server's
tools, prompts and resources are named <server>__<name>. The gateway's address comes from --url or the running gateway's runtime file in the data
dir; the token from --token, $AIRLOCK_TOKEN or the "local" token \`npm start\` created.`,
  'connect-client': `Usage: airlock connect-client list
       airlock connect-client <client> [--server S] [--dry-run] [--yes] [--import] [--data-dir DIR] [--config FILE]
       airlock connect-client <client> --undo [--yes]

<client> is claude-desktop, claude-code, cursor, vscode or windsurf. Adds an entry "airlock" for
every server at once (the gateway's /mcp), or with --server S an entry "airlock-S" for that server
alone (/servers/S/mcp), to the client's own MCP config file, leaving every other key and entry as
it was: the gateway URL (the running gateway's, else the config's listen address) with the "local"
client's token, or for Claude Desktop the \`airlock connect [S]\` command.
Shows a diff first; writes with --yes, or when you answer y in a terminal. --dry-run only shows it.
The original is copied to <file>.airlock-backup-<time> first, and the file replaced atomically with
its mode kept. A file that is not valid JSON (VS Code's may have comments) is refused, unchanged.
--undo restores the newest backup, after showing the diff.
Servers the client reaches directly are listed; --import adds them as Airlock connections
(<data-dir>/connections.json), their env/header values named like token, key, secret, password or
authorization stored in the secret store as keychain:<server>.<key>. The client's entries are kept.`,
  token: `Usage: airlock token create <client> | list | revoke <client> [--config FILE] [--data-dir DIR]

create prints the new token alone on stdout; it is shown only once. Only a hash is stored.`,
  secret: `Usage: airlock secret set <name> [--data-dir DIR]
       airlock secret list [--data-dir DIR]
       airlock secret delete <name> [--data-dir DIR]

Secrets are what \`keychain:<name>\` references in a server's env or headers resolve to; config
and database hold only the reference. They live in the OS keychain (macOS Keychain, Windows
Credential Manager, or the Secret Service such as gnome-keyring on Linux).
set asks for the value with echo off, or reads it from stdin when that is not a terminal
(\`printf %s "$TOKEN" | airlock secret set github-token\`); it never takes a value as an argument.
list prints names only; values are never shown again.

Environment:
  AIRLOCK_SECRET_<NAME>    Overrides a secret for this process (upper-case, other characters as _)
  AIRLOCK_SECRET_STORE     keychain (default); env: environment variables only, read-only;
                           file: an encrypted file in the data dir, for machines without a keychain
  AIRLOCK_SECRET_FILE_KEY  The passphrase of that file (16+ characters); required with file`,
  sessions: `Usage: airlock sessions list [--server S] [--client C] [--limit N] [--json]
       airlock sessions show <id> [--json]
       airlock sessions export <id> --format jsonl [--output FILE]

<id> may be the full session id or a unique prefix of it, as \`list\` prints.`,
  config: `Usage: airlock config check [--config FILE]

Validates the config and prints its servers; errors name the offending field.`,
  pins: `Usage: airlock pins list | held [--config FILE] [--data-dir DIR]
       airlock pins approve|reject <server> <tool> [--config FILE] [--data-dir DIR]

A tool's name, description and input schema are pinned the first time an agent lists it. A later
change, or a new tool named like another server's, is hidden and its calls are refused until
approved. held shows each with a diff; approve pins the new definition; reject keeps the old pin
and the tool hidden for as long as the server offers the rejected definition. The running gateway
applies a decision on its next tools/list or call.`,
  policy: `Usage: airlock policy check <server> <tool> [--args JSON] [--method M] [--client C] [--group G]... [--policy FILE]
       airlock policy validate [--policy FILE]

check prints the decision (allow, deny or approve) for one call and the rule that made it, e.g.
  airlock policy check demo run_sql --args '{"query": "DROP TABLE customers"}'
<tool> is the tool name; with --method resources/read, the resource URI; with prompts/get, the
prompt name. --method defaults to tools/call and --client to "local"; repeat --group for each
group of the caller. Without --policy, the config's "policy" file decides, else the embedded default.

validate checks a policy file and prints how many rules it has; errors name the rule and field.`,
  'demo-server': `Usage: airlock demo-server

Runs the built-in demo back office (customers with PII, run_sql, delete_customer) as an MCP
server over stdio. The embedded default config fronts it as the server "demo".`,
};
