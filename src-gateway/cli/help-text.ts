export const MAIN_HELP = `airlock — a local gateway for AI agents: record, mask, block and approve MCP traffic.

Usage: airlock <command> [options]

Commands:
  gateway                      Run the gateway (what \`npm start\` does)
  connect <server>             Bridge stdin/stdout to a running gateway, for clients that launch commands
  token create <client>        Create a bearer token for an agent client (printed alone on stdout)
  token list                   List clients and their tokens' state
  token revoke <client>        Revoke every token of a client
  sessions list                Recorded sessions, newest first
  sessions show <id>           The messages of one session
  sessions export <id>         Export a session (--format jsonl)
  config check                 Validate a config file and print the servers it defines
  demo-server                  The built-in demo back-office MCP server (stdio)

Options for every command:
  --config FILE     Config file (JSON or YAML). Default: the user config, else the embedded demo config
  --data-dir DIR    Where the database and tokens live. Default: $AIRLOCK_DATA_DIR or the platform's data dir
  -h, --help        Help for a command

Run \`airlock <command> --help\` for a command's own options.`;

export const COMMAND_HELP: Record<string, string> = {
  gateway: `Usage: airlock gateway [--config FILE] [--port N] [--host H] [--data-dir DIR]

Starts the gateway on 127.0.0.1 (port 7400 unless the config or --port says otherwise; 0 picks a
free port). Agents connect to http://127.0.0.1:<port>/servers/<name>/mcp with a bearer token.
Creates the "local" client's token on first run and prints ready-to-paste agent configs.`,
  connect: `Usage: airlock connect <server> [--url URL] [--token TOKEN] [--data-dir DIR]

Speaks MCP over stdin/stdout and relays it to a running gateway, for agents that can only launch a
command. The gateway's address comes from --url or the running gateway's runtime file in the data
dir; the token from --token, $AIRLOCK_TOKEN or the "local" token \`npm start\` created.`,
  token: `Usage: airlock token create <client> | list | revoke <client> [--config FILE] [--data-dir DIR]

create prints the new token alone on stdout; it is shown only once. Only a hash is stored.`,
  sessions: `Usage: airlock sessions list [--server S] [--client C] [--limit N] [--json]
       airlock sessions show <id> [--json]
       airlock sessions export <id> --format jsonl [--output FILE]

<id> may be the full session id or a unique prefix of it, as \`list\` prints.`,
  config: `Usage: airlock config check [--config FILE]

Validates the config and prints its servers; errors name the offending field.`,
  'demo-server': `Usage: airlock demo-server

Runs the built-in demo back office (customers with PII, run_sql, delete_customer) as an MCP
server over stdio. The embedded default config fronts it as the server "demo".`,
};
