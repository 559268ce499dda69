package dev.dormouse.room.builtin;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomContext;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.room.RoomSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls other rooms: {@code GET /?of=a,b,c} asks the {@code counter} room's instances a, b and c for
 * their values (all at once, through {@code ctx.room}) and answers their sum; {@code POST /?to=a}
 * adds the body to counter a and answers what it said. It composes on the calls' futures and never
 * waits on them, as a room must (its handler returns; the answers arrive as events of its own).
 */
public class TallyRoom implements Room {

  static final String COUNTER_ROOM = "counter";
  private static final Pattern VALUE = Pattern.compile("\"value\":(-?\\d+)");

  private RoomContext ctx;

  @Override
  public void onStart(RoomContext context) {
    this.ctx = context;
  }

  @Override
  public CompletableFuture<RoomResponse> onRequestAsync(RoomRequest request) {
    if (request.method().equals("POST")) {
      String to = request.queryParameter("to").orElse("");
      return ctx.room(COUNTER_ROOM, to).request(RoomRequest.post("/", request.bodyText()));
    }
    List<String> names = List.of(request.queryParameter("of").orElse("").split(","));
    List<CompletableFuture<RoomResponse>> answers =
        names.stream()
            .map(name -> ctx.room(COUNTER_ROOM, name.trim()).request(RoomRequest.get("/")))
            .toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(done -> sum(names, answers));
  }

  private static RoomResponse sum(
      List<String> names, List<CompletableFuture<RoomResponse>> answers) {
    long total = 0;
    for (int i = 0; i < answers.size(); i++) {
      RoomResponse answer = answers.get(i).join();
      Matcher value = VALUE.matcher(answer.bodyText());
      if (answer.status() != 200 || !value.find()) {
        return RoomResponse.text(
            502,
            "counter '"
                + names.get(i)
                + "' answered "
                + answer.status()
                + ": "
                + answer.bodyText());
      }
      total += Long.parseLong(value.group(1));
    }
    return RoomResponse.json(200, "{\"total\":" + total + "}");
  }

  @Override
  public void onMessage(RoomSocket socket, Message message) {
    socket.send("tally answers HTTP: GET /rooms/tally?of=a,b");
  }
}
