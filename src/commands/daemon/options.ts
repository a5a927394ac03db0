/** The running binary (bin/crm): the detached daemon and the systemd unit run the same one. */
export const bin = () => process.argv[1]!;
