// The alerts' episode machine (src/core/metrics/alerts.ts): sequences of polls, once per episode.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ALERT_DEFAULTS,
  alertSettings,
  alertStatus,
  emptyAlertState,
  notificationText,
  stepAlerts,
} from '../../../../src/core/metrics/alerts';
import type { AlertEvent, AlertObservation, AlertState } from '../../../../src/core/metrics/alerts';

const ON = { ...ALERT_DEFAULTS, enabled: true };

function obs(at: number, o: Partial<AlertObservation> = {}): AlertObservation {
  const ratio = o.errorRatio;
  return {
    key: 'cloudflared/cloudflared',
    label: 'cloudflared/cloudflared (tunnel prod-k8s)',
    at,
    requestsPerSecond: 10,
    errorsPerSecond: ratio === undefined ? 0 : ratio * 10,
    errorRatio: 0,
    ready: [
      { pod: 'a', readyConnections: 4 },
      { pod: 'b', readyConnections: 4 },
    ],
    unread: 0,
    pods: 2,
    ...o,
  };
}

/** Runs the polls; returns each poll's events as `raised:errors` … and the last state. */
function run(polls: AlertObservation[][], settings = ON): { events: string[][]; state: AlertState; all: AlertEvent[] } {
  let state = emptyAlertState();
  const events: string[][] = [];
  const all: AlertEvent[] = [];
  for (const p of polls) {
    const r = stepAlerts(state, p, settings);
    state = r.state;
    events.push(r.events.map((e) => `${e.kind}:${e.condition}`));
    all.push(...r.events);
  }
  return { events, state, all };
}

const ratios = (rs: Array<number | undefined>): AlertObservation[][] =>
  rs.map((r, i) => [obs(i + 1, r === undefined ? { errorRatio: undefined } : { errorRatio: r })]);

describe('error ratio episodes', () => {
  test('raised after 2 polls in a row at the threshold, once, until recovered', () => {
    const { events } = run(ratios([0.01, 0.06, 0.07, 0.09, 0.2, 0.06]));
    assert.deepEqual(events, [[], [], ['raised:errors'], [], [], []]);
  });
  test('one poll above the threshold is not an episode', () => {
    const { events } = run(ratios([0.1, 0.01, 0.1, 0.01, 0.1]));
    assert.deepEqual(events.flat(), []);
  });
  test('hysteresis: hovering around the threshold neither clears nor raises again', () => {
    // 4.5% is below 5% but above 4% (80%): the episode stays open.
    const { events } = run(ratios([0.06, 0.06, 0.045, 0.055, 0.045, 0.045, 0.06, 0.06]));
    assert.deepEqual(events.flat(), ['raised:errors']);
  });
  test('cleared after 2 polls below 80% of the threshold; a new episode raises again', () => {
    const { events } = run(ratios([0.06, 0.06, 0.01, 0.01, 0.06, 0.06]));
    assert.deepEqual(events, [[], ['raised:errors'], [], ['cleared:errors'], [], ['raised:errors']]);
  });
  test('no traffic counts as recovered; no rate yet is unknown (holds)', () => {
    const idle = (at: number): AlertObservation[] => [obs(at, { requestsPerSecond: 0, errorRatio: undefined })];
    const { events } = run([...ratios([0.1, 0.1]), idle(3), idle(4)]);
    assert.deepEqual(events.flat(), ['raised:errors', 'cleared:errors']);
    const unknown = run(ratios([0.1, undefined, 0.1]));
    assert.deepEqual(unknown.events.flat(), ['raised:errors']);
  });
  test('a poll that brought nothing new (same data time) is not counted', () => {
    const { events } = run([
      [obs(1, { errorRatio: 0.1 })],
      [obs(1, { errorRatio: 0.1 })],
      [obs(2, { errorRatio: 0.1 })],
    ]);
    assert.deepEqual(events, [[], [], ['raised:errors']]);
  });
  test('an error ratio of 0 in the settings turns it off', () => {
    const { events } = run(ratios([0.5, 0.5, 0.5]), { ...ON, errorRatio: 0 });
    assert.deepEqual(events.flat(), []);
  });
});

describe('ready connection episodes', () => {
  const low = (at: number, n = 0): AlertObservation[] => [
    obs(at, {
      ready: [
        { pod: 'a', readyConnections: 4 },
        { pod: 'b', readyConnections: n },
      ],
    }),
  ];
  test('a pod below the minimum on 2 polls raises, naming the pod; recovery after 2 polls', () => {
    const { events, all } = run([low(1), low(2), low(3), [obs(4)], [obs(5)], low(6)]);
    assert.deepEqual(events, [[], ['raised:connections'], [], [], ['cleared:connections'], []]);
    assert.match(all[0]!.message, /pod b \(0\) has fewer than 1 ready edge connection\./);
  });
  test('unread /ready is unknown, not an alert', () => {
    const { events } = run([[obs(1, { ready: [], unread: 2 })], [obs(2, { ready: [], unread: 2 })]]);
    assert.deepEqual(events.flat(), []);
  });
  test('the minimum is a setting (0 turns it off)', () => {
    assert.deepEqual(run([low(1, 2), low(2, 2)], { ...ON, minReadyConnections: 3 }).events.flat(), [
      'raised:connections',
    ]);
    assert.deepEqual(run([low(1), low(2)], { ...ON, minReadyConnections: 0 }).events.flat(), []);
  });
});

describe('never a storm', () => {
  test('a flapping Deployment raises at most once every 4 polls', () => {
    const flapping = ratios(Array.from({ length: 40 }, (_, i) => (i % 2 ? 0.5 : 0)));
    assert.deepEqual(run(flapping).events.flat(), []);
    const slow = ratios(Array.from({ length: 40 }, (_, i) => (Math.floor(i / 2) % 2 ? 0 : 0.5)));
    assert.ok(
      run(slow)
        .events.flat()
        .filter((e) => e.startsWith('raised')).length <= 10,
    );
  });
  test("one poll's raised episodes make one notification", () => {
    const many = (at: number): AlertObservation[] =>
      ['a', 'b', 'c', 'd', 'e'].map((k) => obs(at, { key: `ns/${k}`, label: `ns/${k}`, errorRatio: 0.5 }));
    const { all } = run([many(1), many(2)]);
    assert.equal(all.length, 5);
    const text = notificationText(all)!;
    assert.match(text, /^5 cloudflared alerts: ns\/a: 50% of requests failed/);
    assert.match(text, /…and 2 more\.$/);
    assert.equal(notificationText(all.filter((e) => e.key === 'ns/a')), all[0]!.message);
    assert.equal(notificationText([{ ...all[0]!, kind: 'cleared' }]), undefined);
  });
  test('alerts off: no state, no events', () => {
    const r = run(ratios([0.5, 0.5]), { ...ON, enabled: false });
    assert.deepEqual(r.events.flat(), []);
    assert.equal(r.state.subjects.size, 0);
  });
  test('a Deployment no longer listed is forgotten', () => {
    const { state } = run([[obs(1, { errorRatio: 0.5 })], []]);
    assert.equal(state.subjects.size, 0);
  });
});

describe('status', () => {
  test('the worst state: alert, else pending, else ok with the total traffic', () => {
    assert.equal(alertStatus(run(ratios([0.01])).state, ON).text, '10.0 req/s · 1.0% errors');
    assert.equal(alertStatus(run(ratios([0.01])).state, ON).level, 'ok');
    assert.equal(alertStatus(run(ratios([0.01, 0.1])).state, ON).level, 'pending');
    const raised = alertStatus(run(ratios([0.1, 0.1])).state, ON);
    assert.equal(raised.level, 'alert');
    assert.equal(raised.text, '1 alert');
    assert.match(raised.tooltip, /⚠ cloudflared\/cloudflared \(tunnel prod-k8s\): 10% of requests failed/);
    const unread = run([[obs(1, { requestsPerSecond: undefined, errorRatio: undefined, ready: [], unread: 2 })]]);
    assert.equal(alertStatus(unread.state, ON).level, 'unknown');
    assert.equal(alertStatus(unread.state, ON).text, 'no metrics');
  });
  test('settings are checked', () => {
    assert.deepEqual(alertSettings({}), ALERT_DEFAULTS);
    assert.deepEqual(alertSettings({ enabled: true, errorRatio: 7, minReadyConnections: -1 }), {
      enabled: true,
      errorRatio: 1,
      minReadyConnections: 0,
    });
    assert.deepEqual(alertSettings({ enabled: 'yes', errorRatio: 'x', minReadyConnections: 2.7 }), {
      ...ALERT_DEFAULTS,
      minReadyConnections: 2,
    });
  });
});
