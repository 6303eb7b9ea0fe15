package dev.autopilot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.AutopilotException;
import dev.autopilot.ConfigurationException;
import dev.autopilot.Engine;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void passwordInAJdbcQueryStringIsMaskedAndTheRestKept() {
    assertEquals("jdbc:postgresql://db:5432/app?user=ops&password=***&ssl=true",
        Secrets.mask("jdbc:postgresql://db:5432/app?user=ops&password=hunter2&ssl=true"));
    assertEquals("x jdbc:postgresql://db/app?password=*** y", Secrets.mask("x jdbc:postgresql://db/app?password=p%40ss y"));
    assertEquals("a?sslpassword=***&token=***", Secrets.mask("a?sslpassword=k3y&token=abc.def"));
    assertEquals("via x?password=***: refused", Secrets.mask("via x?password=a:b: refused"));
  }

  @Test
  void userinfoPasswordIsMasked() {
    assertEquals("postgresql://ops:***@db:5432/app", Secrets.mask("postgresql://ops:hunter2@db:5432/app"));
    assertEquals("https://***@host", Secrets.mask("https://***@host"));
    assertEquals("see https://example.org:8443/path", Secrets.mask("see https://example.org:8443/path"));
  }

  @Test
  void passwordPropertiesAreMasked() {
    Properties p = new Properties();
    p.setProperty("user", "ops");
    p.setProperty("password", "hunter2");
    assertFalse(Secrets.mask(p.toString()).contains("hunter2"), Secrets.mask(p.toString()));
    assertEquals("{\"password\": ***, \"user\": \"ops\"}", Secrets.mask("{\"password\": \"hunter2\", \"user\": \"ops\"}"));
    assertEquals("password: ***", Secrets.mask("password: hunter2"));
  }

  @Test
  void ordinaryMessagesAreUntouched() {
    String m = "FATAL: password authentication failed for user \"ops\"; fe_sendauth: no password supplied";
    assertEquals(m, Secrets.mask(m));
    assertNull(Secrets.mask(null));
  }

  @Test
  void exceptionsAndEngineReasonsMaskThemselves() {
    assertEquals("cannot reach jdbc:postgresql://h/db?password=***",
        new AutopilotException("cannot reach jdbc:postgresql://h/db?password=hunter2").getMessage());
    ConfigurationException c = new ConfigurationException("autopilot.pg-cron.password", "hunter2", "rejected");
    assertFalse(c.getMessage().contains("hunter2"), c.getMessage());
    assertEquals(Secrets.MASK, c.value());
    ConfigurationException u = new ConfigurationException("autopilot.pg-cron.url", "jdbc:postgresql://h/db?password=hunter2", "bad");
    assertTrue(u.getMessage().contains("password=***"), u.getMessage());
    assertEquals("via jdbc:postgresql://h/db?password=***",
        new EngineChoice(Engine.DB_SCHEDULER, "via jdbc:postgresql://h/db?password=hunter2").reason());
  }
}
