declare module 'hoodiecrow-imap' {
  interface HoodiecrowMessage {
    uid: number;
    flags: string[];
    raw: string;
  }
  interface HoodiecrowMailbox {
    path: string;
    uidvalidity: number;
    uidnext: number;
    messages: HoodiecrowMessage[];
  }
  interface HoodiecrowServer {
    server: import('node:net').Server;
    listen(port: number, host: string, cb: () => void): void;
    close(cb?: () => void): void;
    getMailbox(path: string): HoodiecrowMailbox | undefined;
    appendMessage(mailbox: string, flags: string[], internaldate: Date, raw: string): unknown;
    setCommandHandler(command: string, handler: (connection: any, parsed: any, data: any, callback: () => void) => void): void;
    getCommandHandler(command: string): ((connection: any, parsed: any, data: any, callback: () => void) => void) | false;
  }
  function hoodiecrow(options: Record<string, unknown>): HoodiecrowServer;
  export default hoodiecrow;
}
