// Bundled on its own into dist/vendor/mcp.cjs: only `crm mcp` loads the MCP SDK and zod.
export { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { z } from 'zod';
