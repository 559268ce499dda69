package dev.dormouse.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Owners given by configuration rather than found in a cluster: every owner serves every room. The
 * list can be replaced at runtime, e.g. by a test that starts an owner after the gateway.
 */
public final class StaticOwnerDirectory implements OwnerDirectory {

  private static final Comparator<OwnerEndpoint> BY_ID =
      Comparator.comparing(OwnerEndpoint::ownerId);

  private final ChangeListeners listeners = new ChangeListeners();
  private volatile RoomOwners owners;

  public StaticOwnerDirectory(List<OwnerEndpoint> owners) {
    this.owners = sorted(owners);
  }

  /** From a spec such as {@code "a=10.0.0.1:7070,owner-b:7070"}; see {@link #parse(String)}. */
  public static StaticOwnerDirectory of(String spec) {
    return new StaticOwnerDirectory(parse(spec));
  }

  /**
   * Parses comma-separated {@code [id=]host:port} entries (IPv6 hosts in brackets). An entry without
   * an id is known by its {@code host:port}. A blank spec is no owners.
   *
   * @throws IllegalArgumentException naming the entry that is not an owner address
   */
  public static List<OwnerEndpoint> parse(String spec) {
    List<OwnerEndpoint> owners = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String raw : spec.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      OwnerEndpoint owner = parseEntry(entry);
      if (!ids.add(owner.ownerId())) {
        throw new IllegalArgumentException(
            "owner entry '" + entry + "': id " + owner.ownerId() + " is given twice");
      }
      owners.add(owner);
    }
    return owners;
  }

  private static OwnerEndpoint parseEntry(String entry) {
    int equals = entry.indexOf('=');
    String address = entry.substring(equals + 1).strip();
    String id = equals < 0 ? address : entry.substring(0, equals).strip();
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? "" : address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (id.isEmpty() || host.isEmpty()) {
      throw new IllegalArgumentException("owner entry '" + entry + "': expected [id=]host:port");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("owner entry '" + entry + "': port must be 1..65535");
    }
    return new OwnerEndpoint(id, new InetSocketAddress(host, port));
  }

  /** Every owner, in every room; none of them starting (nothing here probes their readiness). */
  @Override
  public RoomOwners owners(String namespace, String room) {
    return owners;
  }

  /** Replaces the owners and tells the listeners, on the calling thread. */
  public void set(List<OwnerEndpoint> owners) {
    this.owners = sorted(owners);
    listeners.fire();
  }

  @Override
  public void addListener(Runnable changed) {
    listeners.add(changed);
  }

  private static RoomOwners sorted(List<OwnerEndpoint> owners) {
    return RoomOwners.ready(owners.stream().sorted(BY_ID).toList());
  }
}
