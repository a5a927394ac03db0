import { Box, Text, useApp, useInput } from 'ink';
import { useCallback, useEffect, useState } from 'react';

export interface DashboardAppProps {
  /** The dashboard as text, read afresh from the store each time; a failure's message is shown as it is. */
  frame: () => Promise<string>;
  /** The first frame, computed before ink starts so it shows at once. */
  initial: string;
  intervalMs: number;
}

/** The live dashboard: redraws every interval and on `r`; `q` or Esc quits. */
export function DashboardApp({ frame, initial, intervalMs }: DashboardAppProps) {
  const { exit } = useApp();
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    frame().then(
      (t) => {
        setText(t);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [frame]);
  useEffect(() => {
    if (intervalMs <= 0) return undefined;
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);
  useInput((input, key) => {
    if (input === 'q' || key.escape) exit();
    else if (input === 'r') refresh();
  });
  return (
    <Box flexDirection="column">
      <Text>{text}</Text>
      {error ? <Text color="red">{`could not refresh: ${error}`}</Text> : null}
      <Text dimColor>{`q quit · r refresh${intervalMs > 0 ? ` · refreshes every ${intervalMs / 1000}s` : ''}`}</Text>
    </Box>
  );
}
