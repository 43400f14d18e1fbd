package org.odahu.pack.packager.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.odahu.pack.packager.PackagingException;

/**
 * Mirrors odahu-packager's tests/helpers/test_name.py, plus spacing, unknown names, the part of
 * Jinja that is supported and the refusal of the rest.
 */
class ImageNameTemplateTest {
  @Test
  void plainNamesStayAsTheyAre() {
    assertEquals(
        "test:1234", ImageNameTemplate.render("test:1234", "NAME", "VERSION", () -> "uuid"));
  }

  @Test
  void variablesAreReplacedAndTheResultLowerCased() {
    assertEquals(
        "name/1234:version",
        ImageNameTemplate.render(
            "{{ Name }}/{{ RandomUUID }}:{{ Version }}", "NAME", "VERSION", () -> "1234"));
  }

  @Test
  void everyRandomUuidOfOneNameIsTheSame() {
    int[] drawn = {0};
    assertEquals(
        "w-1:1",
        ImageNameTemplate.render(
            "{{ Name }}-{{ RandomUUID }}:{{ RandomUUID }}",
            "w",
            "v",
            () -> Integer.toString(++drawn[0])));
  }

  @Test
  void defaultTemplate() {
    String name =
        ImageNameTemplate.render(ImageNameTemplate.DEFAULT, "Wine", "1.0", () -> "0b3F-Ab");
    assertTrue(name.matches("wine-1\\.0:[\\w-]+"), name);
    assertEquals("wine-1.0:0b3f-ab", name);
  }

  @Test
  void spacingVariantsAndUnknownNames() {
    assertEquals(
        "a-b-a-:x",
        ImageNameTemplate.render(
            "{{Name}}-{{  Version  }}-{{ Name}}-{{ Unknown }}:x", "a", "b", () -> "u"));
    assertEquals("m-", ImageNameTemplate.render("{{ Name }}-{{ Foo }}", "M", "1", () -> "u"));
  }

  @Test
  void uuidIsOnlyMadeWhenUsed() {
    assertEquals(
        "m:1",
        ImageNameTemplate.render(
            "{{ Name }}:{{ Version }}",
            "m",
            "1",
            () -> {
              throw new AssertionError("not needed");
            }));
  }

  @Test
  void jinjasWhitespaceControlAndTheLowerUpperAndTrimFilters() {
    assertEquals(
        "odahu/wine:1.0-ab",
        ImageNameTemplate.render(
            "odahu/\n  {{- Name|upper }}:{{ Version | trim -}}  \n -{{RandomUUID|lower|trim}}",
            "Wine",
            " 1.0 ",
            () -> "AB"));
    // Only the template's whitespace is stripped, not a value's.
    assertEquals(
        "a b:1", ImageNameTemplate.render("{{ Name }} {{- Version }}", "a b:", "1", () -> "u"));
    assertEquals("", ImageNameTemplate.render("{{ Unknown|lower }}", "m", "1", () -> "u"));
  }

  @Test
  void oneTrailingNewlineIsDroppedAsJinjaDropsIt() {
    // imageName: > (or |) in YAML ends with a newline.
    assertEquals(
        "odahu/pure:1.0",
        ImageNameTemplate.render("odahu/{{ Name }}:{{ Version }}\n", "pure", "1.0", () -> "u"));
    assertEquals("x:1", ImageNameTemplate.render("x:1\r\n", "m", "1", () -> "u"));
    assertEquals("x:1\n", ImageNameTemplate.render("x:1\n\n", "m", "1", () -> "u"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{{ RandomUUID[:8] }}",
        "{% if Name %}x{% endif %}",
        "{# a comment #}",
        "{{ Name|replace('a', 'b') }}",
        "{{ Name|title }}",
        "{{ Name ~ Version }}",
        "{{ Name",
        "{{ -Name }}"
      })
  void anyOtherJinjaIsRefusedNamingTheArgumentAndTheExpression(String expression) {
    PackagingException e =
        assertThrows(
            PackagingException.class, () -> ImageNameTemplate.parse("odahu/" + expression + ":1"));
    assertTrue(e.getMessage().startsWith("The imageName argument 'odahu/"), e.getMessage());
    String shown = expression.startsWith("{% if") ? "{% if Name %}" : expression;
    assertTrue(e.getMessage().contains(" holds " + shown), e.getMessage());
  }
}
