import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  allSubmitted,
  DEFAULT_QUORUM_PERCENT,
  expectedScorers,
  type FinaliseFacts,
  finaliseProblems,
  type Opinion,
  outcomeOf,
  type Quorum,
  quorumOf,
  RE_EVALUATION_DAYS,
  recognisedStars,
  reEvaluationCountdown,
  type Seat,
  writtenOpinionsState,
} from './results.ts';
import type { CouncilRole, Outcome } from './round.model.ts';
import type { Stars } from './scoring.ts';

/** `present` scoring members followed by `absent` ones; roles cycle chair, secretary, member… */
function council(present: number, absent = 0, advisors: { present: number; absent: number } = noAdvisors) {
  const seats: Seat[] = [];
  const role = (i: number): CouncilRole => (i === 0 ? 'chair' : i === 1 ? 'secretary' : 'member');
  for (let i = 0; i < present + absent; i++)
    seats.push({ memberId: `m${i}`, role: role(i), present: i < present });
  for (let i = 0; i < advisors.present + advisors.absent; i++)
    seats.push({ memberId: `a${i}`, role: 'advisor', present: i < advisors.present });
  return seats;
}
const noAdvisors = { present: 0, absent: 0 };

// ---------------------------------------------------------------------------------------------
// quorum

test('the default quorum is 75 % of the scoring members, rounded up', () => {
  assert.equal(DEFAULT_QUORUM_PERCENT, 75);
  const required = (voting: number) => quorumOf(council(voting)).required;
  assert.equal(required(1), 1);
  assert.equal(required(2), 2);
  assert.equal(required(3), 3);
  assert.equal(required(4), 3); // exactly 3, not 3.0000000004 → 4
  assert.equal(required(5), 4); // 3.75 → 4
  assert.equal(required(6), 5); // 4.5 → 5
  assert.equal(required(7), 6); // 5.25 → 6
  assert.equal(required(8), 6);
  assert.equal(required(9), 7); // 6.75 → 7
  assert.equal(required(12), 9);
  assert.equal(required(20), 15);
});

test('quorum met exactly at the threshold, not one below', () => {
  assert.deepEqual(quorumOf(council(3, 1)), { voting: 4, present: 3, required: 3, met: true });
  assert.deepEqual(quorumOf(council(2, 2)), { voting: 4, present: 2, required: 3, met: false });
  assert.deepEqual(quorumOf(council(4, 1)), { voting: 5, present: 4, required: 4, met: true });
  assert.deepEqual(quorumOf(council(3, 2)), { voting: 5, present: 3, required: 4, met: false });
  assert.deepEqual(quorumOf(council(6, 1)), { voting: 7, present: 6, required: 6, met: true });
  assert.deepEqual(quorumOf(council(5, 2)), { voting: 7, present: 5, required: 6, met: false });
  assert.deepEqual(quorumOf(council(7)), { voting: 7, present: 7, required: 6, met: true });
});

test('advisors (tổ tư vấn) neither count towards the council nor towards those present', () => {
  // 4 scoring members, 2 present, plus 5 advisors all present: still no quorum
  assert.deepEqual(quorumOf(council(2, 2, { present: 5, absent: 0 })), {
    voting: 4,
    present: 2,
    required: 3,
    met: false,
  });
  // absent advisors do not raise the threshold either
  assert.deepEqual(quorumOf(council(3, 1, { present: 0, absent: 6 })), {
    voting: 4,
    present: 3,
    required: 3,
    met: true,
  });
  // every role but advisor scores
  const seats: Seat[] = (['chair', 'vice_chair', 'secretary', 'member'] as const).map((role, i) => ({
    memberId: `x${i}`,
    role,
    present: true,
  }));
  assert.deepEqual(quorumOf(seats), { voting: 4, present: 4, required: 3, met: true });
});

test('a council with no scoring member never has a quorum', () => {
  assert.deepEqual(quorumOf([]), { voting: 0, present: 0, required: 1, met: false });
  assert.deepEqual(quorumOf(council(0, 0, { present: 3, absent: 0 })), {
    voting: 0,
    present: 0,
    required: 1,
    met: false,
  });
  assert.equal(quorumOf([], 0).met, false);
  assert.equal(quorumOf([], 50).met, false);
});

test('nobody present is never a quorum', () => {
  assert.equal(quorumOf(council(0, 4)).met, false);
  assert.equal(quorumOf(council(0, 1)).met, false);
});

test('a council may set its own quorum percent', () => {
  // 50 %
  assert.deepEqual(quorumOf(council(2, 2), 50), { voting: 4, present: 2, required: 2, met: true });
  assert.deepEqual(quorumOf(council(1, 3), 50), { voting: 4, present: 1, required: 2, met: false });
  assert.equal(quorumOf(council(3, 2), 50).required, 3); // 2.5 → 3
  assert.equal(quorumOf(council(2, 3), 50).met, false);
  assert.equal(quorumOf(council(7), 50).required, 4); // 3.5 → 4
  // 100 %: everyone must be there
  assert.deepEqual(quorumOf(council(5), 100), { voting: 5, present: 5, required: 5, met: true });
  assert.deepEqual(quorumOf(council(4, 1), 100), { voting: 5, present: 4, required: 5, met: false });
  assert.equal(quorumOf(council(7), 100).required, 7);
  // 2/3, the other usual rule
  assert.equal(quorumOf(council(9), 67).required, 7); // 6.03 → 7
  assert.equal(quorumOf(council(3), 67).required, 3); // 2.01 → 3
});

// ---------------------------------------------------------------------------------------------
// who scores

test('expected scorers: present scoring members, not recused, advisors aside, in seat order', () => {
  const seats: Seat[] = [
    { memberId: 'chair', role: 'chair', present: true },
    { memberId: 'vice', role: 'vice_chair', present: true },
    { memberId: 'sec', role: 'secretary', present: true },
    { memberId: 'm1', role: 'member', present: true },
    { memberId: 'm2', role: 'member', present: false },
    { memberId: 'm3', role: 'member', present: true },
    { memberId: 'adv1', role: 'advisor', present: true },
    { memberId: 'adv2', role: 'advisor', present: false },
  ];
  assert.deepEqual(expectedScorers(seats, new Set()), ['chair', 'vice', 'sec', 'm1', 'm3']);
  // a member who declared a conflict on this product does not score it
  assert.deepEqual(expectedScorers(seats, new Set(['m1'])), ['chair', 'vice', 'sec', 'm3']);
  assert.deepEqual(expectedScorers(seats, new Set(['chair', 'm3'])), ['vice', 'sec', 'm1']);
  // recusing an absent member or an advisor changes nothing
  assert.deepEqual(expectedScorers(seats, new Set(['m2', 'adv1'])), ['chair', 'vice', 'sec', 'm1', 'm3']);
  // an unknown id changes nothing
  assert.deepEqual(expectedScorers(seats, new Set(['nobody'])), ['chair', 'vice', 'sec', 'm1', 'm3']);
  // everyone recused, or nobody present: no scorer
  assert.deepEqual(expectedScorers(seats, new Set(['chair', 'vice', 'sec', 'm1', 'm3'])), []);
  assert.deepEqual(expectedScorers(council(0, 4), new Set()), []);
  assert.deepEqual(expectedScorers([], new Set()), []);
});

test('allSubmitted: every expected sheet is in, and there is at least one expected', () => {
  assert.equal(allSubmitted(['a', 'b'], new Set(['a', 'b'])), true);
  assert.equal(allSubmitted(['a', 'b'], new Set(['a'])), false);
  assert.equal(allSubmitted(['a', 'b'], new Set()), false);
  // a sheet from someone not expected (recused, absent) neither helps nor hurts
  assert.equal(allSubmitted(['a', 'b'], new Set(['a', 'b', 'recused'])), true);
  assert.equal(allSubmitted(['a', 'b'], new Set(['a', 'recused'])), false);
  // nobody expected: never "all submitted"
  assert.equal(allSubmitted([], new Set()), false);
  assert.equal(allSubmitted([], new Set(['a'])), false);
});

// ---------------------------------------------------------------------------------------------
// finalising a product's result

const MET: Quorum = { voting: 4, present: 3, required: 3, met: true };
const NOT_MET: Quorum = { voting: 4, present: 2, required: 3, met: false };

function facts(over: Partial<FinaliseFacts> = {}): FinaliseFacts {
  return {
    quorum: MET,
    expected: ['a', 'b', 'c'],
    submitted: new Set(['a', 'b', 'c']),
    result: { spreadExceeded: false, disqualified: [] },
    spreadAccepted: false,
    meetingPending: false,
    ...over,
  };
}

test('a result with quorum, every sheet, the spread within the limit and no meeting pending can be finalised', () => {
  assert.deepEqual(finaliseProblems(facts()), []);
  // no result computed yet (nothing to say about the spread)
  assert.deepEqual(finaliseProblems(facts({ result: null })), []);
});

test('each reason on its own', () => {
  assert.deepEqual(finaliseProblems(facts({ quorum: NOT_MET })), ['round_quorum_not_met']);
  assert.deepEqual(finaliseProblems(facts({ submitted: new Set(['a', 'b']) })), ['round_sheets_missing']);
  assert.deepEqual(finaliseProblems(facts({ meetingPending: true })), ['round_meeting_required']);
  assert.deepEqual(finaliseProblems(facts({ result: { spreadExceeded: true, disqualified: [] } })), [
    'round_spread_unresolved',
  ]);
});

test('nobody expected to score (everyone recused or absent): nobody can score it', () => {
  assert.deepEqual(finaliseProblems(facts({ expected: [], submitted: new Set() })), ['round_no_scorers']);
  assert.deepEqual(finaliseProblems(facts({ expected: [], submitted: new Set(['x']) })), [
    'round_no_scorers',
  ]);
});

test('a member who submitted and is then marked absent is still counted', () => {
  const seats = [
    { memberId: 'a', role: 'chair' as const, present: true },
    { memberId: 'b', role: 'member' as const, present: false },
    { memberId: 'c', role: 'member' as const, present: false },
  ];
  assert.deepEqual(expectedScorers(seats, new Set(), new Set(['b'])), ['a', 'b']);
  assert.deepEqual(expectedScorers(seats, new Set(['b']), new Set(['b'])), ['a'], 'unless recused');
});

test('a spread the chair accepted in writing no longer blocks', () => {
  assert.deepEqual(
    finaliseProblems(facts({ result: { spreadExceeded: true, disqualified: [] }, spreadAccepted: true })),
    [],
  );
  // accepting a spread that was within the limit anyway is harmless
  assert.deepEqual(finaliseProblems(facts({ spreadAccepted: true })), []);
});

test('a disqualified result is not blocked by a wide spread: the disqualification ends the evaluation', () => {
  assert.deepEqual(
    finaliseProblems(facts({ result: { spreadExceeded: true, disqualified: ['forged_dossier'] } })),
    [],
  );
  // but it still needs quorum, every sheet and no meeting pending
  assert.deepEqual(
    finaliseProblems(
      facts({
        quorum: NOT_MET,
        submitted: new Set(['a']),
        meetingPending: true,
        result: { spreadExceeded: true, disqualified: ['forged_dossier'] },
      }),
    ),
    ['round_quorum_not_met', 'round_sheets_missing', 'round_meeting_required'],
  );
});

test('several reasons at once, always in the same order', () => {
  assert.deepEqual(
    finaliseProblems(
      facts({
        quorum: NOT_MET,
        submitted: new Set(),
        meetingPending: true,
        result: { spreadExceeded: true, disqualified: [] },
      }),
    ),
    ['round_quorum_not_met', 'round_sheets_missing', 'round_meeting_required', 'round_spread_unresolved'],
  );
  assert.deepEqual(finaliseProblems(facts({ quorum: NOT_MET, meetingPending: true })), [
    'round_quorum_not_met',
    'round_meeting_required',
  ]);
  assert.deepEqual(
    finaliseProblems(
      facts({ submitted: new Set(['a']), result: { spreadExceeded: true, disqualified: [] } }),
    ),
    ['round_sheets_missing', 'round_spread_unresolved'],
  );
  assert.deepEqual(
    finaliseProblems(
      facts({
        quorum: NOT_MET,
        result: { spreadExceeded: true, disqualified: [] },
        spreadAccepted: true,
      }),
    ),
    ['round_quorum_not_met'],
  );
});

// ---------------------------------------------------------------------------------------------
// outcomes

test('outcomeOf for every star level, at province and at central level', () => {
  const table: [Stars, Outcome, Outcome][] = [
    // stars, province, central
    [0, 'disqualified', 'disqualified'],
    [1, 'not_recognised', 'not_recognised'],
    [2, 'not_recognised', 'not_recognised'],
    [3, 'recognise', 'recognise'],
    [4, 'recognise', 'recognise'],
    [5, 'forward_central', 'recognise_5_star'],
  ];
  for (const [stars, province, central] of table) {
    assert.equal(outcomeOf('province', { stars, disqualified: [] }), province, `province ${stars}★`);
    assert.equal(outcomeOf('central', { stars, disqualified: [] }), central, `central ${stars}★`);
  }
});

test('a 5★ result in a province round goes to the central round; at central it is proposed for 5★', () => {
  assert.equal(outcomeOf('province', { stars: 5, disqualified: [] }), 'forward_central');
  assert.equal(outcomeOf('central', { stars: 5, disqualified: [] }), 'recognise_5_star');
});

test('below 5★ in the central round the province may recognise 3★/4★ from the central result', () => {
  assert.equal(outcomeOf('central', { stars: 4, disqualified: [] }), 'recognise');
  assert.equal(outcomeOf('central', { stars: 3, disqualified: [] }), 'recognise');
  assert.equal(recognisedStars(outcomeOf('central', { stars: 4, disqualified: [] }), 4), 4);
});

test('any disqualification flag wins over the stars, at either level', () => {
  for (const level of ['province', 'central'] as const)
    for (const stars of [0, 1, 2, 3, 4, 5] as Stars[])
      assert.equal(outcomeOf(level, { stars, disqualified: ['no_food_safety_certificate'] }), 'disqualified');
});

test('recognisedStars: what the province (or the ministry) recognises for each outcome', () => {
  assert.equal(recognisedStars('recognise', 3), 3);
  assert.equal(recognisedStars('recognise', 4), 4);
  assert.equal(recognisedStars('recognise_5_star', 5), 5);
  // no certificate for 1★–2★ (Điều 4.1.a), none for a disqualified product
  assert.equal(recognisedStars('not_recognised', 2), 0);
  assert.equal(recognisedStars('not_recognised', 1), 0);
  assert.equal(recognisedStars('disqualified', 0), 0);
  assert.equal(recognisedStars('disqualified', 4), 0);
  // a product forwarded to the central round is not recognised by the province (yet)
  assert.equal(recognisedStars('forward_central', 5), 0);
  // end to end
  const at = (level: 'province' | 'central', stars: Stars) =>
    recognisedStars(outcomeOf(level, { stars, disqualified: [] }), stars);
  assert.deepEqual(
    ([0, 1, 2, 3, 4, 5] as Stars[]).map((s) => at('province', s)),
    [0, 0, 0, 3, 4, 0],
  );
  assert.deepEqual(
    ([0, 1, 2, 3, 4, 5] as Stars[]).map((s) => at('central', s)),
    [0, 0, 0, 3, 4, 5],
  );
});

// ---------------------------------------------------------------------------------------------
// re-evaluation by written opinions

const opinions = (entries: [string, Opinion][]) => new Map(entries);

test('written opinions: waiting until every expected member has given one', () => {
  assert.equal(writtenOpinionsState(['a', 'b', 'c'], opinions([])), 'waiting');
  assert.equal(
    writtenOpinionsState(
      ['a', 'b', 'c'],
      opinions([
        ['a', 'confirm'],
        ['b', 'confirm'],
      ]),
    ),
    'waiting',
  );
  // a 'change' does not call the meeting before everyone has answered
  assert.equal(writtenOpinionsState(['a', 'b'], opinions([['a', 'change']])), 'waiting');
  // an opinion from someone not expected (recused, absent) does not stand in for a missing one
  assert.equal(
    writtenOpinionsState(
      ['a', 'b'],
      opinions([
        ['a', 'confirm'],
        ['x', 'confirm'],
      ]),
    ),
    'waiting',
  );
});

test('written opinions: agreed when everyone confirms the previous scores', () => {
  assert.equal(
    writtenOpinionsState(
      ['a', 'b', 'c'],
      opinions([
        ['a', 'confirm'],
        ['b', 'confirm'],
        ['c', 'confirm'],
      ]),
    ),
    'agreed',
  );
  assert.equal(writtenOpinionsState(['a'], opinions([['a', 'confirm']])), 'agreed');
  // a stray 'change' from someone not expected is ignored
  assert.equal(
    writtenOpinionsState(
      ['a'],
      opinions([
        ['a', 'confirm'],
        ['x', 'change'],
      ]),
    ),
    'agreed',
  );
});

test('written opinions: a meeting is required when opinions differ or someone changes a score', () => {
  assert.equal(
    writtenOpinionsState(
      ['a', 'b', 'c'],
      opinions([
        ['a', 'confirm'],
        ['b', 'change'],
        ['c', 'confirm'],
      ]),
    ),
    'meeting_required',
  );
  assert.equal(
    writtenOpinionsState(
      ['a', 'b'],
      opinions([
        ['a', 'change'],
        ['b', 'change'],
      ]),
    ),
    'meeting_required',
  );
  assert.equal(writtenOpinionsState(['a'], opinions([['a', 'change']])), 'meeting_required');
});

test('written opinions: with nobody expected to give one, nothing is agreed', () => {
  assert.equal(writtenOpinionsState([], opinions([])), 'waiting');
  assert.equal(writtenOpinionsState([], opinions([['x', 'confirm']])), 'waiting');
});

// ---------------------------------------------------------------------------------------------
// 45 days

test('a re-evaluation ends within 45 calendar days of the complete file', () => {
  assert.equal(RE_EVALUATION_DAYS, 45);
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2026-03-01'), {
    deadline: '2026-04-15',
    daysLeft: 45,
  });
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2026-03-02'), {
    deadline: '2026-04-15',
    daysLeft: 44,
  });
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2026-04-14'), {
    deadline: '2026-04-15',
    daysLeft: 1,
  });
  // the deadline day itself: 0 days left, not yet overdue
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2026-04-15'), {
    deadline: '2026-04-15',
    daysLeft: 0,
  });
  // calendar days, not working days: weekends and holidays count
  assert.deepEqual(reEvaluationCountdown('2026-06-01', '2026-06-01'), {
    deadline: '2026-07-16',
    daysLeft: 45,
  });
});

test('negative days left once overdue', () => {
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2026-04-16'), {
    deadline: '2026-04-15',
    daysLeft: -1,
  });
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2026-05-15'), {
    deadline: '2026-04-15',
    daysLeft: -30,
  });
  assert.deepEqual(reEvaluationCountdown('2026-03-01', '2027-04-15'), {
    deadline: '2026-04-15',
    daysLeft: -365,
  });
});

test('the countdown across a year end', () => {
  assert.deepEqual(reEvaluationCountdown('2026-12-20', '2026-12-20'), {
    deadline: '2027-02-03',
    daysLeft: 45,
  });
  assert.deepEqual(reEvaluationCountdown('2026-12-20', '2026-12-31'), {
    deadline: '2027-02-03',
    daysLeft: 34,
  });
  assert.deepEqual(reEvaluationCountdown('2026-12-20', '2027-01-01'), {
    deadline: '2027-02-03',
    daysLeft: 33,
  });
  assert.deepEqual(reEvaluationCountdown('2026-11-30', '2026-11-30').deadline, '2027-01-14');
  assert.deepEqual(reEvaluationCountdown('2026-11-16', '2026-11-16').deadline, '2026-12-31');
  assert.deepEqual(reEvaluationCountdown('2026-11-17', '2026-11-17').deadline, '2027-01-01');
});

test('the countdown across a leap day (29 February 2028), and the same dates in a common year', () => {
  assert.deepEqual(reEvaluationCountdown('2028-02-01', '2028-02-01'), {
    deadline: '2028-03-17',
    daysLeft: 45,
  });
  assert.deepEqual(reEvaluationCountdown('2027-02-01', '2027-02-01'), {
    deadline: '2027-03-18',
    daysLeft: 45,
  });
  assert.deepEqual(reEvaluationCountdown('2028-01-20', '2028-02-29'), {
    deadline: '2028-03-05',
    daysLeft: 5,
  });
  assert.deepEqual(reEvaluationCountdown('2028-02-29', '2028-02-29'), {
    deadline: '2028-04-14',
    daysLeft: 45,
  });
  assert.deepEqual(reEvaluationCountdown('2028-01-15', '2028-02-28').deadline, '2028-02-29');
});

test('the countdown refuses a date that does not exist', () => {
  assert.throws(() => reEvaluationCountdown('2026-02-30', '2026-03-01'), RangeError);
  assert.throws(() => reEvaluationCountdown('2026-03-01', '2027-02-29'), RangeError);
  assert.throws(() => reEvaluationCountdown('01/03/2026', '2026-03-01'), RangeError);
});
