package dev.autopilot.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The dashboard mount: a JDK {@link HttpHandler} bean named {@code autopilotDashboardHandler}
 * served at /autopilot through the application's servlet container and Spring Security. The
 * handler here is a plain JDK handler that echoes what it received: autopilot-web had not landed
 * on main, so its real handler is not on this class path.
 */
@ExtendWith(PostgresExtension.class)
class DashboardMountTest {

  static final HttpClient HTTP = HttpClient.newHttpClient();

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean(AutopilotDashboardAutoConfiguration.HANDLER_BEAN)
    HttpHandler echo() {
      return ex -> {
        byte[] in = ex.getRequestBody().readAllBytes();
        String who = ex.getPrincipal() == null ? "-" : ex.getPrincipal().getUsername();
        byte[] out = (ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " q=" + ex.getRequestURI().getRawQuery()
            + " user=" + who + " body=" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("X-Dashboard", "echo");
        ex.sendResponseHeaders(ex.getRequestMethod().equals("POST") ? 201 : 200, out.length);
        ex.getResponseBody().write(out);
        ex.close();
      };
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(a -> a.requestMatchers("/autopilot/**", "/autopilot").hasRole("OPS")
              .anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults())
          .csrf(c -> c.ignoringRequestMatchers("/autopilot/**"))
          .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}ops-pw").roles("OPS").build(),
          User.withUsername("guest").password("{noop}guest-pw").roles("GUEST").build());
    }
  }

  static HttpResponse<String> send(ConfigurableApplicationContext ctx, String method, String path, String user,
      String password, String body) throws Exception {
    String port = ctx.getEnvironment().getProperty("local.server.port");
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theDashboardIsServedAtAutopilotBehindTheApplicationsSecurity(TestDatabase db) throws Exception {
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class).properties(Map.of(
        "server.port", "0", "spring.datasource.url", db.jdbcUrl(), "autopilot.built-in-tasks", "false",
        "autopilot.discovery", "false")).run()) {
      assertThat(ctx.getBean(Autopilot.class).alive()).isTrue();
      assertThat(send(ctx, "GET", "/autopilot/api/tasks", null, null, null).statusCode()).isEqualTo(401);
      assertThat(send(ctx, "GET", "/autopilot/api/tasks", "guest", "guest-pw", null).statusCode()).isEqualTo(403);
      assertThat(send(ctx, "GET", "/autopilot/api/tasks", "ops", "wrong", null).statusCode()).isEqualTo(401);

      HttpResponse<String> get = send(ctx, "GET", "/autopilot/api/tasks?state=failed&limit=5", "ops", "ops-pw", null);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("GET /autopilot/api/tasks q=state=failed&limit=5 user=ops body=");
      assertThat(get.headers().firstValue("X-Dashboard")).hasValue("echo");

      HttpResponse<String> post = send(ctx, "POST", "/autopilot/api/tasks/x/run", "ops", "ops-pw", "{\"a\":1}");
      assertThat(post.statusCode()).isEqualTo(201);
      assertThat(post.body()).isEqualTo("POST /autopilot/api/tasks/x/run q=null user=ops body={\"a\":1}");
    }
  }

  @Test
  void withoutSpringSecurityTheDashboardIsMountedOnlyWhenAskedFor(TestDatabase db) {
    WebApplicationContextRunner runner = new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AutopilotDashboardAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
        .withBean(Autopilot.class, () -> Autopilot.builder(db.dataSource()).builtInTasks(false)
            .discoverProviders(false).environment(Map.of()).build())
        .withBean(AutopilotDashboardAutoConfiguration.HANDLER_BEAN, HttpHandler.class, () -> ex -> ex.close());
    runner.run(ctx -> assertThat(ctx).doesNotHaveBean(ServletRegistrationBean.class));
    runner.withPropertyValues("autopilot.dashboard.enabled=true")
        .run(ctx -> assertThat(ctx).hasSingleBean(ServletRegistrationBean.class));
    runner.withClassLoader(null).withPropertyValues("autopilot.dashboard.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(ServletRegistrationBean.class));
  }
}
