package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alarms and their index on a real Redis: claims, the epoch fence, retries kept with the alarm. */
class RedisAlarmStoreIT {

  private static final Duration TTL = Duration.ofSeconds(30);
  private static final RoomKey KEY = new RoomKey("default", "nap", "one");

  private EmbeddedRedis server;
  private RedisConnector redis;
  private RedisLeaseStore leases;
  private RedisAlarmIndex index;
  private RedisAlarmStore alarms;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedRedis.start();
    redis = RedisConnector.connect(server.url());
    leases = new RedisLeaseStore(redis, TTL);
    index = new RedisAlarmIndex(redis);
    alarms = new RedisAlarmStore(redis, leases, index);
  }

  @AfterEach
  void stop() throws Exception {
    redis.close();
    server.close();
  }

  private Lease lease(RoomKey key, String owner) {
    return leases.acquire(key, owner).lease();
  }

  private Optional<Double> indexed(RoomKey key) {
    return Optional.ofNullable(
        redis.sync().zscore(RedisKeys.alarmIndex(key.namespace()), key.toString()));
  }

  @Test
  void gatewaysPollingTogetherClaimEachDueAlarmOnceUntilTheClaimTimesOut() throws Exception {
    long now = System.currentTimeMillis();
    List<RoomKey> keys =
        IntStream.range(0, 300).mapToObj(i -> new RoomKey("default", "nap", "i" + i)).toList();
    for (RoomKey key : keys) {
      Lease lease = lease(key, "owner-1");
      alarms.index(lease, Optional.of(alarms.set(lease, Instant.ofEpochMilli(now - 1))));
    }

    ExecutorService gateways = Executors.newFixedThreadPool(4);
    List<Future<List<RoomKey>>> polls = new ArrayList<>();
    for (int g = 0; g < 4; g++) {
      Callable<List<RoomKey>> gateway =
          () -> {
            List<RoomKey> claimed = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
              claimed.addAll(index.claimDue("default", now, 50));
            }
            return claimed;
          };
      polls.add(gateways.submit(gateway));
    }
    List<RoomKey> claimed = new ArrayList<>();
    for (Future<List<RoomKey>> poll : polls) {
      claimed.addAll(poll.get());
    }
    gateways.shutdown();

    assertThat(claimed).as("each due alarm raised by one gateway").hasSameElementsAs(keys);
    assertThat(claimed).doesNotHaveDuplicates();
    assertThat(alarms.claim(keys.get(0), now)).as("an owner's timer loses to the claim").isFalse();
    long expired = AlarmIndex.claimedUntil(now);
    assertThat(index.claimDue("default", expired, 1000))
        .as("claims timed out: raised again")
        .hasSameElementsAs(keys);
  }

  @Test
  void anOwnersTimerClaimsItsDueAlarmAndOneMissingFromTheIndex() {
    Lease lease = lease(KEY, "owner-1");
    long now = System.currentTimeMillis();
    AlarmRecord alarm = alarms.set(lease, Instant.ofEpochMilli(now + 1000));
    assertThat(alarms.claim(KEY, now + 1000)).as("its index write was lost").isTrue();
    assertThat(index.claimDue("default", now + 2000, 10)).as("held by the owner's claim").isEmpty();

    alarms.index(lease, Optional.of(alarm));
    assertThat(alarms.claim(KEY, now)).as("not due yet").isFalse();
  }

  @Test
  void aStaleOwnerCannotUndoItsSuccessorsAlarmInTheIndex() {
    Lease first = lease(KEY, "owner-1");
    AlarmRecord old = alarms.set(first, Instant.now().plusSeconds(60));
    // owner-1 stalls between its alarm write and its index write; its lease passes to owner-2.
    redis.sync().del(RedisKeys.lease(KEY));
    Lease second = lease(KEY, "owner-2");
    AlarmRecord current = alarms.set(second, Instant.now().plusSeconds(5));
    alarms.index(second, Optional.of(current));

    assertThatThrownBy(() -> alarms.index(first, Optional.of(old)))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> alarms.index(first, Optional.empty()))
        .isInstanceOf(StaleLeaseException.class);
    assertThat(indexed(KEY)).contains((double) current.dueMillis());
  }

  @Test
  void anAlarmGoneForGoodLeavesNoEpochBehindAndTheFenceStillHolds() {
    Lease first = lease(KEY, "owner-1");
    AlarmRecord old = alarms.set(first, Instant.now().plusSeconds(60));
    alarms.index(first, Optional.of(old));
    alarms.delete(first);
    assertThat(redis.sync().hexists(RedisKeys.alarmEpochs("default"), KEY.toString()))
        .as("no alarm left: nothing kept for it")
        .isFalse();

    // owner-1 stalls before an index write; its lease passes to owner-2, which sets an alarm.
    redis.sync().del(RedisKeys.lease(KEY));
    Lease second = lease(KEY, "owner-2");
    AlarmRecord current = alarms.set(second, Instant.now().plusSeconds(5));
    alarms.index(second, Optional.of(current));
    assertThatThrownBy(() -> alarms.index(first, Optional.empty()))
        .isInstanceOf(StaleLeaseException.class);
    assertThat(indexed(KEY)).contains((double) current.dueMillis());
  }

  @Test
  void aRoomCreatedAgainUnderItsNameIndexesItsAlarmsThoughItsEpochsStartAgain() {
    Lease before = lease(KEY, "owner-1");
    redis.sync().set(RedisKeys.epochs(KEY), "41");
    redis.sync().del(RedisKeys.lease(KEY));
    before = lease(KEY, "owner-1");
    alarms.index(before, Optional.of(alarms.set(before, Instant.now().plusSeconds(60))));
    // The room is deleted (its instance keys with it) and created again: epochs from 1.
    redis.sync().del(RedisKeys.lease(KEY), RedisKeys.epochs(KEY), RedisKeys.alarm(KEY));
    Lease after = lease(KEY, "owner-2");
    assertThat(after.epoch()).isLessThan(before.epoch());

    AlarmRecord alarm = alarms.set(after, Instant.now().plusSeconds(5));
    alarms.index(after, Optional.of(alarm));

    assertThat(indexed(KEY)).contains((double) alarm.dueMillis());
  }

  @Test
  void aRetryReplacesOnlyTheAlarmItWasForAndIsReadBack() {
    Lease lease = lease(KEY, "owner-1");
    AlarmRecord fired = alarms.set(lease, Instant.now());
    AlarmRecord retry = fired.retryAt(System.currentTimeMillis() + 2000);

    assertThat(alarms.replace(lease, fired, Optional.of(retry))).isTrue();
    assertThat(alarms.get(KEY)).contains(retry);
    assertThat(indexed(KEY)).contains((double) retry.dueMillis());
    assertThat(alarms.replace(lease, fired, Optional.empty()))
        .as("the alarm changed since: left alone")
        .isFalse();

    AlarmRecord setAgain = alarms.set(lease, retry.due());
    assertThat(alarms.replace(lease, retry, Optional.empty()))
        .as("set again for the same time during its onAlarm: a new alarm, kept")
        .isFalse();
    assertThat(alarms.get(KEY)).contains(setAgain);
    assertThat(alarms.replace(lease, setAgain, Optional.empty())).isTrue();
    assertThat(alarms.get(KEY)).isEmpty();
    assertThat(indexed(KEY)).isEmpty();
  }

  @Test
  void anAlarmKeptBeforeRetriesReadsAsAFirstAttempt() {
    redis.sync().set(RedisKeys.alarm(KEY), "1800000000000");
    assertThat(alarms.get(KEY)).contains(new AlarmRecord(1_800_000_000_000L, 0, ""));
  }

  @Test
  void anAlarmKeptBeforeRetriesIsSettledByItsOutcome() {
    Lease lease = lease(KEY, "owner-1");
    redis.sync().set(RedisKeys.alarm(KEY), "1700000000000");
    AlarmRecord legacy = alarms.get(KEY).orElseThrow();
    AlarmRecord retry = legacy.retryAt(1_700_000_002_000L);

    assertThat(alarms.replace(lease, legacy, Optional.of(retry))).as("failed: retried").isTrue();
    assertThat(alarms.get(KEY)).contains(retry);

    redis.sync().set(RedisKeys.alarm(KEY), "1700000000000");
    assertThat(alarms.replace(lease, legacy, Optional.empty())).as("succeeded: deleted").isTrue();
    assertThat(alarms.get(KEY)).isEmpty();
  }

  @Test
  void aForgottenAlarmOfADeletedRoomGoesUnlessRaisedAgainMeanwhile() {
    Lease lease = lease(KEY, "owner-1");
    long now = System.currentTimeMillis();
    alarms.index(lease, Optional.of(alarms.set(lease, Instant.ofEpochMilli(now))));
    assertThat(index.claimDue("default", now, 10)).containsExactly(KEY);

    index.forget(KEY, AlarmIndex.claimedUntil(now) + 1);
    assertThat(indexed(KEY)).as("claimed by someone else since").isPresent();
    index.forget(KEY, AlarmIndex.claimedUntil(now));
    assertThat(indexed(KEY)).isEmpty();
  }
}
