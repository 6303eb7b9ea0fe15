package dev.autopilot.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.autopilot.BootstrapStatus;
import dev.autopilot.Engine;
import dev.autopilot.JobState;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

/** The dashboard's one ObjectMapper: instants as ISO-8601, engines and states by label, HTML-safe. */
final class Json {
  private Json() {}

  static final ObjectMapper MAPPER = create();
  static final com.fasterxml.jackson.core.type.TypeReference<java.util.LinkedHashMap<String, Object>> MAP =
      new com.fasterxml.jackson.core.type.TypeReference<>() {};

  private static ObjectMapper create() {
    SimpleModule m = new SimpleModule("autopilot-web");
    m.addSerializer(Instant.class, new ToString<>());
    m.addSerializer(Engine.class, new JsonSerializer<>() {
      @Override
      public void serialize(Engine v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(v.label());
      }
    });
    m.addSerializer(JobState.class, new JsonSerializer<>() {
      @Override
      public void serialize(JobState v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(v.label());
      }
    });
    m.addSerializer(BootstrapStatus.StepState.class, new JsonSerializer<>() {
      @Override
      public void serialize(BootstrapStatus.StepState v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(v.name().toLowerCase(Locale.ROOT));
      }
    });
    m.addSerializer(Role.class, new JsonSerializer<>() {
      @Override
      public void serialize(Role v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(v.label());
      }
    });
    ObjectMapper mapper = new ObjectMapper().registerModule(m).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    // <, >, &, ' and " travel as \\uXXXX: a JSON answer opened as HTML can never carry markup
    mapper.getFactory().setCharacterEscapes(new HtmlSafe());
    return mapper;
  }

  private static final class ToString<T> extends JsonSerializer<T> {
    @Override
    public void serialize(T v, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeString(v.toString());
    }
  }

  private static final class HtmlSafe extends CharacterEscapes {
    private final int[] escapes;

    HtmlSafe() {
      escapes = standardAsciiEscapesForJSON();
      for (char c : new char[] {'<', '>', '&', '\'', '"'}) {
        escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
