package dev.dormouse.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.contract.RedisUrl.Kind;
import dev.dormouse.contract.RedisUrl.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisUrlTest {

  @Test
  void standaloneWithDefaults() {
    RedisUrl url = RedisUrl.parse("redis://redis.example.com");

    assertThat(url.kind()).isEqualTo(Kind.STANDALONE);
    assertThat(url.tls()).isFalse();
    assertThat(url.nodes()).containsExactly(new Node("redis.example.com", 6379));
    assertThat(url.username()).isEmpty();
    assertThat(url.password()).isEmpty();
    assertThat(url.database()).isZero();
    assertThat(url.clientUris()).containsExactly("redis://redis.example.com:6379");
  }

  @Test
  void tlsPasswordAndDatabase() {
    RedisUrl url = RedisUrl.parse("rediss://:s3cret@10.0.0.5:6380/3");

    assertThat(url.tls()).isTrue();
    assertThat(url.nodes()).containsExactly(new Node("10.0.0.5", 6380));
    assertThat(url.password()).contains("s3cret");
    assertThat(url.username()).isEmpty();
    assertThat(url.database()).isEqualTo(3);
    assertThat(url.clientUris()).containsExactly("rediss://:s3cret@10.0.0.5:6380/3");
  }

  @Test
  void userAndPasswordPercentDecoded() {
    RedisUrl url = RedisUrl.parse("redis://app%40team:p%40ss+w%3Ard@host:6379");

    assertThat(url.username()).contains("app@team");
    assertThat(url.password()).contains("p@ss+w:rd");
    assertThat(url.clientUris()).containsExactly("redis://app%40team:p%40ss%2Bw%3Ard@host:6379");
  }

  @Test
  void aBarePasswordIsAPassword() {
    assertThat(RedisUrl.parse("redis://s3cret@host").password()).contains("s3cret");
    assertThat(RedisUrl.parse("redis://s3cret@host").username()).isEmpty();
  }

  @Test
  void sentinelGivesTheCredentialsAndMasterToTheWholeUrl() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://:pw@s1,s2:26380/2#mymaster");

    assertThat(url.kind()).isEqualTo(Kind.SENTINEL);
    assertThat(url.nodes()).containsExactly(new Node("s1", 26379), new Node("s2", 26380));
    assertThat(url.sentinelMaster()).contains("mymaster");
    assertThat(url.database()).isEqualTo(2);
    assertThat(url.clientUris())
        .containsExactly("redis-sentinel://:pw@s1:26379,s2:26380/2#mymaster");
  }

  @Test
  void clusterGivesThePasswordToEverySeed() {
    RedisUrl url = RedisUrl.parse("redis-cluster://admin:s3cret@a:7000, b:7001,[::1]");

    assertThat(url.kind()).isEqualTo(Kind.CLUSTER);
    assertThat(url.nodes())
        .containsExactly(new Node("a", 7000), new Node("b", 7001), new Node("::1", 6379));
    assertThat(url.clientUris())
        .containsExactly(
            "redis://admin:s3cret@a:7000",
            "redis://admin:s3cret@b:7001",
            "redis://admin:s3cret@[::1]:6379");
  }

  @Test
  void tlsCluster() {
    assertThat(RedisUrl.parse("rediss-cluster://:pw@a:7000,b:7001").clientUris())
        .containsExactly("rediss://:pw@a:7000", "rediss://:pw@b:7001");
  }

  @Test
  void thePasswordIsNeverPrinted() {
    RedisUrl url = RedisUrl.parse("redis://user:s3cret@host");

    assertThat(url.toString()).doesNotContain("s3cret").contains("****", "user");
    assertThatThrownBy(() -> RedisUrl.parse("redis://user:s3cret@host:99999"))
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aPasswordMayHoldUrlCharactersUnencoded() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://:p#a?s/s@s1#mymaster");

    assertThat(url.password()).contains("p#a?s/s");
    assertThat(url.nodes()).containsExactly(new Node("s1", 26379));
    assertThat(url.sentinelMaster()).contains("mymaster");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://:s3cret#x@:26379#mymaster"))
        .hasMessageContaining("bad host")
        .hasMessageNotContaining("s3cret");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                   | it is empty",
        "localhost:6379                       | no scheme",
        "http://localhost                     | unknown scheme http",
        "redis://                             | a host is missing",
        "redis://host:port                    | port port is not a number",
        "redis://host:0                       | port 0 is not a number from 1 to 65535",
        "redis://host/x                       | database x is not a number",
        "redis://a:1,b:2                      | takes one host",
        "redis://host?timeout=5s              | query parameters are not supported",
        "redis://host#master                  | only redis-sentinel:// takes a #master",
        "redis-sentinel://s1:26379            | needs the master's name",
        "redis-cluster://a:7000,,b:7001       | a host is missing",
        "redis-cluster://a:7000/1             | only database 0",
        "redis://:pw%4@host                   | not followed by two hex digits",
        "redis://[::1:6379                    | unclosed [",
        "redis://host:6379x                   | is not a number",
      })
  void malformedUrlsAreRefusedNamingRedisUrl(String url, String why) {
    assertThatThrownBy(() -> RedisUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("REDIS_URL is not a Redis URL: ")
        .hasMessageContaining(why);
  }
}
