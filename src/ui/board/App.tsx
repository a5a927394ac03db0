/**
 * The board's ink components: they draw a BoardState and forward keys to the controller,
 * nothing more. Only the columns on screen and the cards in each column's window are
 * rendered, whatever the number of leads.
 */
import { memo, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import type { BoardCard } from '../../services/board/service.js';
import { currencyDigits, formatMoney, formatTimestamp } from '../../io/format.js';
import type { BoardController } from './controller.js';
import { BOARD_KEYS } from './keys.js';
import { CHROME_LINES, fitColumns } from './layout.js';
import { cardsPerColumn, currencyRows, type BoardState, type ColumnState } from './state.js';

/** Rounded to whole units in headers and cards: cents add width and nothing a rep acts on (the 360° view and --json keep them). */
export function money(minor: number | null, currency: string): string {
  if (minor === null) return `${currency} —`;
  const unit = 10 ** currencyDigits(currency);
  return formatMoney(Math.round(minor / unit) * unit, currency).replace(/\.0+$/, '');
}

const NOT_ATTEMPTED = '✱';
const OVERDUE = '!';
const NEXT = '→';

interface Paint {
  color: boolean;
  timeZone?: string;
}

/** Colour only when allowed (NO_COLOR, --no-color, TERM=dumb); bold, dim and inverse are not colour. */
function tint(p: Paint, c: string): string | undefined {
  return p.color ? c : undefined;
}

export interface BoardAppProps {
  controller: BoardController;
  /** Colour allowed (ctx.io.color). */
  color: boolean;
  /** Who is looking, for the title bar. */
  who: string;
  /** For follow-up dates on cards (CRM_TZ, the config file, else the system's). */
  timeZone?: string;
}

export function BoardApp({ controller, color, who, timeZone }: BoardAppProps): ReactNode {
  const state = useSyncExternalStore(controller.subscribe, controller.getState);
  const { exit } = useApp();
  const { stdout } = useStdout();
  useInput((input, key) => {
    void controller.handle(input, key);
  });
  useEffect(() => {
    const onResize = () => controller.resize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, controller]);
  useEffect(() => {
    if (state.quit) exit();
  }, [state.quit, exit]);

  // Stable, so memoised columns and cards re-render only when their own data changes.
  const p: Paint = useMemo(() => ({ color, timeZone }), [color, timeZone]);
  const { width, height } = state.viewport;
  const area = Math.max(1, height - CHROME_LINES);
  let body: ReactNode;
  if (state.mode === 'help') body = <Help p={p} height={area} />;
  else if (state.mode === 'panel') body = <Panel state={state} height={area} />;
  else if (state.mode === 'picker') body = <Picker state={state} p={p} height={area} />;
  else body = <Columns state={state} p={p} height={area} />;
  return (
    <Box flexDirection="column" width={width}>
      <TitleBar state={state} p={p} who={who} />
      <Box height={area} flexDirection="column">
        {body}
      </Box>
      <StatusLine state={state} p={p} />
      <Text dimColor wrap="truncate-end">
        {footer(state)}
      </Text>
    </Box>
  );
}

function footer(s: BoardState): string {
  switch (s.mode) {
    case 'input':
      return s.input?.purpose === 'filter' ? 'type to filter · enter keep · esc clear' : 'enter save · esc cancel';
    case 'picker':
      return '↑↓ choose · enter assign · esc cancel';
    case 'panel':
      return '↑↓ scroll the timeline · C call · esc/enter/q back to the board';
    case 'help':
      return 'esc/? back to the board';
    default:
      // Most needed first: narrow terminals cut the end.
      return `? help  q quit  < > stage  ←↓↑→ move  ⏎ open  / filter  a assign  n note  f follow-up  C call  w won  L lost  c collapse  r reload   ${NOT_ATTEMPTED} not attempted  ${OVERDUE} overdue follow-up  ${NEXT}MM-DD next follow-up`;
  }
}

function TitleBar({ state, p, who }: { state: BoardState; p: Paint; who: string }): ReactNode {
  const fit = fitColumns(state.columns.map((c) => c.collapsed), state.col, state.firstCol, state.viewport.width);
  const left = fit.first;
  const right = state.columns.length - (fit.first + fit.indexes.length);
  const scroll = `${left ? `◂ ${left} ` : ''}${right ? ` ${right} ▸` : ''}`;
  const filter = state.filter ? ` · filter "${state.filter}"` : '';
  return (
    <Box width={state.viewport.width}>
      <Box flexGrow={1}>
        <Text wrap="truncate-end">
          <Text bold color={tint(p, 'cyan')}>
            crm board
          </Text>
          {` · ${who} · ${state.count.toLocaleString('en')} ${state.count === 1 ? 'lead' : 'leads'}${filter}`}
        </Text>
      </Box>
      {scroll ? <Text dimColor>{scroll}</Text> : null}
    </Box>
  );
}

function StatusLine({ state, p }: { state: BoardState; p: Paint }): ReactNode {
  if (state.mode === 'input' && state.input) {
    return (
      <Text wrap="truncate-start">
        <Text bold>{state.input.prompt}: </Text>
        {state.input.text}
        <Text inverse> </Text>
      </Text>
    );
  }
  const m = state.message;
  if (!m) return <Text> </Text>;
  if (m.kind === 'error') {
    return (
      <Text wrap="truncate-end" color={tint(p, 'red')}>
        {`✗ ${m.text}${m.hint ? ` — ${m.hint}` : ''}`}
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" color={tint(p, 'green')}>
      {`✓ ${m.text}`}
    </Text>
  );
}

function Columns({ state, p, height }: { state: BoardState; p: Paint; height: number }): ReactNode {
  if (state.columns.length === 0) return <Text>{state.loaded ? 'The pipeline has no stages (crm stage add).' : 'Loading…'}</Text>;
  const fit = fitColumns(state.columns.map((c) => c.collapsed), state.col, state.firstCol, state.viewport.width);
  const rows = currencyRows(state);
  const page = cardsPerColumn(state);
  return (
    <Box flexDirection="row" height={height}>
      {fit.indexes.map((i, k) => (
        <ColumnView key={state.columns[i]!.stage.id} col={state.columns[i]!} width={fit.widths[k]!} active={i === state.col} rows={rows} page={page} p={p} />
      ))}
    </Box>
  );
}

const ColumnView = memo(function ColumnView({ col, width, active, rows, page, p }: { col: ColumnState; width: number; active: boolean; rows: number; page: number; p: Paint }): ReactNode {
  const inner = Math.max(1, width - 2);
  const stageColor = col.stage.outcome === 'won' ? 'green' : col.stage.outcome === 'lost' ? 'red' : 'cyan';
  const head: ReactNode[] = [];
  for (let i = 0; i < rows; i++) {
    const t = col.totals[i];
    const more = col.totals.length - rows;
    if (i === rows - 1 && more > 0) {
      head.push(<Text key={`v${i}`} dimColor wrap="truncate-end">{`+${more + 1} currencies (--json)`}</Text>);
      head.push(<Text key={`w${i}`}> </Text>);
    } else if (t) {
      head.push(<Text key={`v${i}`} wrap="truncate-end">{`Σ ${money(t.valueMinor, t.currency)}`}</Text>);
      head.push(
        <Text key={`w${i}`} dimColor wrap="truncate-end">
          {col.collapsed ? ' ' : `w ${money(t.weightedMinor, t.currency)}`}
        </Text>,
      );
    } else {
      head.push(<Text key={`v${i}`}>{i === 0 ? 'Σ —' : ' '}</Text>);
      head.push(<Text key={`w${i}`}> </Text>);
    }
  }
  const shown = col.collapsed ? [] : col.cards.slice(col.top, col.top + page);
  const below = col.collapsed ? 0 : col.count - col.top - shown.length;
  return (
    <Box
      flexDirection="column"
      width={width}
      borderStyle="single"
      borderTop={false}
      borderBottom={false}
      borderRight={false}
      borderColor={active ? tint(p, 'cyan') : undefined}
      borderDimColor={!active}
      paddingLeft={1}
    >
      <Text wrap="truncate-end" bold inverse={active && col.collapsed}>
        <Text color={tint(p, stageColor)}>{col.stage.name}</Text>
        {` · ${col.count.toLocaleString('en')}`}
        {col.collapsed ? ' ▸' : ''}
      </Text>
      {head}
      <Text dimColor>{'─'.repeat(inner)}</Text>
      {col.collapsed ? (
        <Text dimColor wrap="truncate-end">
          {active ? 'c: expand' : ''}
        </Text>
      ) : col.count === 0 ? (
        <Text dimColor>no leads</Text>
      ) : (
        shown.map((card, k) => <CardView key={card.id} card={card} selected={active && col.top + k === col.row} gap={k > 0} p={p} />)
      )}
      {below > 0 ? <Text dimColor>{`↓ ${below.toLocaleString('en')} more${col.loading ? ' (loading…)' : ''}`}</Text> : null}
    </Box>
  );
});

const CardView = memo(function CardView({ card, selected, gap, p }: { card: BoardCard; selected: boolean; gap: boolean; p: Paint }): ReactNode {
  // A bar marks the selected card even without colour or inverse (chalk drops every style under --no-color).
  const bar = selected ? '▌' : ' ';
  const barColor = selected ? tint(p, 'cyan') : undefined;
  const who = card.initials.join(',') || 'unassigned';
  // Plain ASCII separators: a line of ASCII is measured without grapheme segmentation, the
  // bulk of ink's work on a first frame full of cards.
  const value = card.valueMinor === null ? 'no value' : money(card.valueMinor, card.currency);
  return (
    <Box flexDirection="column" marginTop={gap ? 1 : 0}>
      <Text wrap="truncate-end">
        <Text color={barColor}>{bar}</Text>
        <Text bold inverse={selected}>
          {card.name}
        </Text>
        {card.notAttempted ? <Text color={tint(p, 'yellow')}>{` ${NOT_ATTEMPTED}`}</Text> : null}
        {card.overdueFollowUp ? (
          <Text bold color={tint(p, 'red')}>
            {` ${OVERDUE}`}
          </Text>
        ) : null}
      </Text>
      <Text wrap="truncate-end">
        <Text color={barColor}>{bar}</Text>
        {/* The date first: a long business name is what gets cut. */}
        {card.nextFollowUpAt ? <Text color={tint(p, 'cyan')}>{`${NEXT}${formatTimestamp(card.nextFollowUpAt, p.timeZone).slice(5, 10)} `}</Text> : null}
        <Text dimColor>{card.businessName ?? `#${card.id}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text color={barColor}>{bar}</Text>
        {`${value}  ${card.score}pt  ${who}`}
      </Text>
    </Box>
  );
});

function Help({ p, height }: { p: Paint; height: number }): ReactNode {
  const width = Math.max(...BOARD_KEYS.map((k) => k.keys.length));
  // Fits 24-line terminals (20 lines); smaller ones lose the last lines, not the keys.
  return (
    <Box flexDirection="column" height={height} paddingLeft={1} overflow="hidden">
      <Text bold>Keys</Text>
      {BOARD_KEYS.map((k) => (
        <Text key={k.keys} wrap="truncate-end">
          <Text color={tint(p, 'cyan')}>{k.keys.padEnd(width)}</Text>
          {`  ${k.label}`}
        </Text>
      ))}
      <Text wrap="truncate-end">{`Cards: name ${NOT_ATTEMPTED} not attempted yet, ${OVERDUE} a follow-up is overdue; ${NEXT}MM-DD next follow-up, business (or #id);`}</Text>
      <Text wrap="truncate-end">value, score, assignees' initials.</Text>
      <Text wrap="truncate-end">Headers: Σ total value, w weighted value (value × the stage's probability), per currency.</Text>
      <Text wrap="truncate-end">Changes made elsewhere show up within --refresh seconds (default 5), or at once with r.</Text>
    </Box>
  );
}

function Panel({ state, height }: { state: BoardState; height: number }): ReactNode {
  const view = state.panel?.view;
  if (!view) return <Text>Loading…</Text>;
  const label = Math.max(...view.fields.map(([k]) => k.length), 4);
  const room = Math.max(1, height - view.fields.length - 3);
  const entries = view.timeline.slice(state.panel!.scroll, state.panel!.scroll + room);
  return (
    <Box flexDirection="column" height={height} paddingLeft={1}>
      <Text bold wrap="truncate-end">
        {view.title}
      </Text>
      {view.fields.map(([k, v]) => (
        <Text key={k} wrap="truncate-end">
          <Text dimColor>{k.padEnd(label)}</Text>
          {`  ${v}`}
        </Text>
      ))}
      <Text> </Text>
      <Text bold>{`Timeline (${view.timeline.length})`}</Text>
      {entries.map((a, i) => (
        <Text key={i} wrap="truncate-end">
          <Text dimColor>{a.at}</Text>
          {`  ${a.text}`}
          {a.user ? <Text dimColor>{`  — ${a.user}`}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

function Picker({ state, p, height }: { state: BoardState; p: Paint; height: number }): ReactNode {
  const picker = state.picker;
  if (!picker) return null;
  const card = state.columns.flatMap((c) => c.cards).find((c) => c.id === picker.leadId);
  const room = Math.max(1, height - 2);
  const start = Math.max(0, Math.min(picker.index - room + 1, picker.users.length - room));
  return (
    <Box flexDirection="column" height={height} paddingLeft={1}>
      <Text bold wrap="truncate-end">{`Reassign #${picker.leadId}${card ? ` ${card.name}` : ''} to:`}</Text>
      {picker.users.slice(Math.max(0, start), Math.max(0, start) + room).map((u, k) => {
        const i = Math.max(0, start) + k;
        const on = i === picker.index;
        return (
          <Text key={u.email} wrap="truncate-end">
            <Text color={on ? tint(p, 'cyan') : undefined}>{on ? '▌' : ' '}</Text>
            <Text inverse={on}>{u.name}</Text>
            {` <${u.email}> ${u.role}`}
          </Text>
        );
      })}
    </Box>
  );
}
