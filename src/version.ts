/** crm's version: `crm --version` and what `crm mcp` tells its clients. */
export const VERSION = '0.1.0';
