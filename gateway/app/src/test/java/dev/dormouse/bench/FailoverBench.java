package dev.dormouse.bench;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Revival after failover: a room with N open sockets runs on owner A; A stops without a goodbye
 * (its lease is left to expire, as after a crash) and leaves the owner list; the time from then to
 * the first reply to a message — served by owner B after rebuilding the room from Redis — is
 * measured, with B's own revival time beside it. Gateway and owners are separate servers in this
 * JVM over loopback links and one embedded Redis; the lease time to live is the fixture's.
 */
public final class FailoverBench {

  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.println(
        "| run | sockets | lease TTL | kill → first reply | revival on the new owner |");
    System.out.println("|---|---|---|---|---|");
    for (int run = 1; run <= runs; run++) {
      try (ClusterFixture cluster =
          ClusterFixture.start(
              LocalRunFixture.room(
                  "probe",
                  "dev.dormouse.testing.ProbeRoom",
                  "instances: true\nhibernation:\n  idleTimeout: 60s\n"))) {
        Metrics metricsB = new Metrics();
        OwnerNode a = cluster.owner("owner-a", new Metrics());
        OwnerNode b = cluster.owner("owner-b", metricsB);
        List<OwnerEndpoint> both =
            List.of(ClusterFixture.endpoint("owner-a", a), ClusterFixture.endpoint("owner-b", b));
        StaticOwnerDirectory directory = new StaticOwnerDirectory(both);
        GatewayNode gateway =
            cluster.gateway("gw", directory, new Metrics(), Duration.ofSeconds(30));
        String instance = "i0";
        for (int i = 1;
            !OwnerRing.pick(new RoomKey("default", "probe", instance), both)
                .orElseThrow()
                .ownerId()
                .equals("owner-a");
            i++) {
          instance = "i" + i;
        }
        List<WsClient> clients = new ArrayList<>();
        for (int s = 0; s < sockets; s++) {
          clients.add(
              WsClient.connect(
                  ClusterFixture.ws(
                      gateway.address(), "/rooms/probe/" + instance + "?name=c" + s)));
        }
        clients.get(0).send("warm");
        clients.get(0).nextText();

        long killed = System.nanoTime();
        a.close();
        directory.set(List.of(both.get(1)));
        clients.get(0).send("after");
        String reply = clients.get(0).nextText();
        long tookMillis = (System.nanoTime() - killed) / 1_000_000;
        if (!reply.equals("echo:after")) {
          throw new IllegalStateException("unexpected reply " + reply);
        }
        double revivalMillis =
            metricsB
                .registry()
                .get("dormouse_revival")
                .timer()
                .mean(java.util.concurrent.TimeUnit.MILLISECONDS);
        System.out.printf(
            "| %d | %d | %d ms | %d ms | %.1f ms |%n",
            run, sockets, ClusterFixture.LEASE_TTL.toMillis(), tookMillis, revivalMillis);
        clients.forEach(WsClient::abort);
      }
    }
    System.exit(0);
  }
}
