package io.statejob.runtime.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Requests from one runtime process to another, each bounded by a timeout. */
public final class HttpCalls {
  private final HttpClient client;
  private final Duration timeout;

  public HttpCalls(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    return client.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<byte[]> post(String url, byte[] body)
      throws IOException, InterruptedException {
    return client.send(postRequest(url, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<byte[]> postJson(String url, Object body)
      throws IOException, InterruptedException {
    return post(url, HttpEndpoints.JSON.writeValueAsBytes(body));
  }

  public CompletableFuture<HttpResponse<byte[]>> postAsync(String url, byte[] body) {
    return client.sendAsync(postRequest(url, body), HttpResponse.BodyHandlers.ofByteArray());
  }

  public CompletableFuture<HttpResponse<byte[]>> postJsonAsync(String url, Object body) {
    try {
      return postAsync(url, HttpEndpoints.JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private HttpRequest postRequest(String url, byte[] body) {
    return request(url).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
  }

  /** 2xx. */
  public static boolean succeeded(HttpResponse<?> response) {
    return response.statusCode() / 100 == 2;
  }
}
